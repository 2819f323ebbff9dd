"""Isolation: hostile programs graded by the real judge meet the jail's walls, and leave
nothing behind on the host.

Each probe performs forbidden actions and prints "<name> blocked" for each one the jail
stopped; its test expects exactly those lines, so reward 1 means isolation held and the
program itself proved it.  The host side is checked as well: listeners got no connection,
files are unchanged, no jailed process or file outlived grading.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import platform
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from crucible.schema import Comparator, Limits, Policy, Verdict
from tests.integration.conftest import Grade
from tests.integration.hostile import (
    Trace,
    assert_reward,
    blocked,
    explain,
    host_digests,
    program,
    stdio,
)
from workers.judge.grade import Judge
from workers.judge.jail import INSIDE, INSIDE_UID

pytestmark = pytest.mark.integration


@pytest.fixture
def trace() -> Trace:
    return Trace.new()


def probe(
    grade: Grade,
    trace: Trace,
    body: str | tuple[str, ...],
    expected: str,
    stdin: str = "",
    **fields: object,
) -> None:
    """Grade probe `body` on one stdio test and require reward 1: its output was `expected`."""
    parts = body if isinstance(body, tuple) else (body,)
    result = grade(trace.stamp(program(*parts)), stdio((stdin, expected)), **fields)
    assert_reward(result, 1)
    trace.assert_clean()


# -- identity ----------------------------------------------------------------------------------


def test_runs_as_unprivileged_uid_mapped_to_nobody(
    judge: Judge, grade: Grade, trace: Trace
) -> None:
    body = """
    import time
    print(os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups())
    attempt("shadow", lambda: open("/etc/shadow").read())
    attempt("root-home", lambda: os.listdir("/root"))
    attempt("setuid-0", lambda: os.setuid(0))
    attempt("setgid-0", lambda: os.setgid(0))
    time.sleep(1.0)  # long enough for the host to look at us
    """
    expected = f"{INSIDE_UID} {INSIDE_UID} {INSIDE_UID} {INSIDE_UID} []\n"
    expected += blocked("shadow", "root-home", "setuid-0", "setgid-0")
    with ThreadPoolExecutor(1) as pool:
        graded = pool.submit(grade, trace.stamp(program(body)), stdio(("", expected)))
        seen = trace.wait_for_processes(timeout=4.0)
        result = graded.result(timeout=30)
    assert_reward(result, 1)
    outside = judge.settings.jail_uid
    assert seen, "the jailed program never showed up in the host's process table"
    assert set(seen.values()) == {(outside,) * 4}, f"jailed processes' host uids: {seen}"
    trace.assert_clean()


# -- network -----------------------------------------------------------------------------------


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        conn, peer = server.accept()
        conn.close()
        pytest.fail(f"the jail reached the host listener from {peer}")


def host_address() -> str | None:
    """This machine's address on its default route, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing
        except OSError:
            return None
        address: str = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_no_tcp_to_host_loopback(grade: Grade, trace: Trace, tcp_listener: socket.socket) -> None:
    body = """
    import socket
    port = int(input())
    def connect(host, port=port):
        socket.create_connection((host, port), timeout=2).close()
    attempt("listener", lambda: connect("127.0.0.1"))
    attempt("listener-v6", lambda: connect("::1"))
    attempt("redis", lambda: connect("127.0.0.1", 6379))
    """
    port = tcp_listener.getsockname()[1]
    probe(grade, trace, body, blocked("listener", "listener-v6", "redis"), stdin=f"{port}\n")
    assert_no_connection(tcp_listener)


def test_no_route_off_the_host(grade: Grade, trace: Trace) -> None:
    body = """
    import socket
    host, port = input().split()
    def connect(host, port):
        socket.create_connection((host, int(port)), timeout=2).close()
    def udp(host, port):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"hello", (host, int(port)))
    attempt("host-tcp", lambda: connect(host, port), errno.ENETUNREACH)
    attempt("host-udp", lambda: udp(host, port), errno.ENETUNREACH)
    attempt("public-tcp", lambda: connect("1.1.1.1", 53), errno.ENETUNREACH)
    attempt("public-udp", lambda: udp("8.8.8.8", 53), errno.ENETUNREACH)
    """
    names = ("host-tcp", "host-udp", "public-tcp", "public-udp")
    address = host_address()
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(socket.create_server((address, 0))) if address else None
        target = f"{address} {server.getsockname()[1]}" if server else "10.255.255.254 9"
        if server:
            server.setblocking(False)
        probe(grade, trace, body, blocked(*names), stdin=target + "\n")
        if server:
            assert_no_connection(server)


def test_dns_resolution_fails(grade: Grade, trace: Trace) -> None:
    body = """
    import socket
    for name in input().split():
        attempt(name, lambda: socket.getaddrinfo(name, 80))
    """
    names = ("example.com", "pypi.org", socket.gethostname(), "redis")
    probe(grade, trace, body, blocked(*names), stdin=" ".join(names) + "\n")


def test_udp_to_host_loopback_does_not_arrive(grade: Grade, trace: Trace) -> None:
    body = """
    import socket
    port = int(input())
    for host, family in (("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6)):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                for _ in range(20):
                    s.sendto(b"escaped", (host, port))
        except OSError:
            pass  # refused or unreachable: both fine, the host checks arrival
    print("sent")
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        probe(grade, trace, body, "sent\n", stdin=f"{receiver.getsockname()[1]}\n")
        with pytest.raises(BlockingIOError):
            data, peer = receiver.recvfrom(100)
            pytest.fail(f"a datagram from the jail arrived from {peer}: {data!r}")


def test_only_loopback_interface(grade: Grade, trace: Trace) -> None:
    body = """
    import socket
    print(sorted(name for _, name in socket.if_nameindex()))
    """
    probe(grade, trace, body, "['lo']\n")


# -- file system -------------------------------------------------------------------------------


def test_system_mounts_are_read_only(grade: Grade, trace: Trace) -> None:
    # Creating, chmod-ing and unlinking fail with EROFS: the mount itself is read-only, not
    # merely owned by someone else.  Opening a root-owned file for writing may fail earlier,
    # on permissions, with EACCES.
    body = """
    import glob
    marker = input().strip()
    stdlib = sorted(glob.glob("/usr/lib/python3*/json"))[0]
    ro, denied = errno.EROFS, (errno.EROFS, errno.EACCES)
    attempt("usr-bin-create", lambda: open(f"/usr/bin/{marker}", "w"), ro)
    attempt("usr-bin-python", lambda: open("/usr/bin/python3", "ab"), *denied)
    attempt("stdlib-create", lambda: open(f"{stdlib}/{marker}.py", "w"), ro)
    attempt("stdlib-patch", lambda: open(f"{stdlib}/__init__.py", "a"), *denied)
    attempt("stdlib-chmod", lambda: os.chmod(f"{stdlib}/__init__.py", 0o777), ro)
    attempt("stdlib-unlink", lambda: os.unlink(f"{stdlib}/__init__.py"), ro)
    attempt("root-create", lambda: open(f"/{marker}", "w"), ro)
    attempt("root-mkdir", lambda: os.mkdir(f"/{marker}"), ro)
    attempt("etc-create", lambda: open(f"/etc/{marker}", "w"), ro)
    attempt("etc-ldcache", lambda: open("/etc/ld.so.cache", "ab"), *denied)
    attempt("dev-create", lambda: open(f"/dev/{marker}", "w"), ro)
    """
    names = (
        "usr-bin-create", "usr-bin-python", "stdlib-create", "stdlib-patch", "stdlib-chmod",
        "stdlib-unlink", "root-create", "root-mkdir", "etc-create", "etc-ldcache", "dev-create",
    )  # fmt: skip
    stdlib = Path(sorted(glob.glob("/usr/lib/python3*/json"))[0])
    watched = [stdlib / "__init__.py", Path("/usr/bin/python3"), Path("/etc/ld.so.cache")]
    before = host_digests(watched)
    probe(grade, trace, body, blocked(*names), stdin=trace.marker + "\n")
    assert host_digests(watched) == before
    for created in (Path("/usr/bin"), stdlib, Path("/"), Path("/etc"), Path("/dev")):
        assert not list(created.glob(f"{trace.marker}*")), f"{created} got a file from the jail"


def test_program_and_harness_are_read_only(grade: Grade, trace: Trace) -> None:
    body = """
    ro, denied = errno.EROFS, (errno.EROFS, errno.EACCES)
    attempt("main-append", lambda: open("/code/main.py", "a"), *denied)
    attempt("main-rewrite", lambda: open("/code/main.py", "r+"), *denied)
    attempt("main-chmod", lambda: os.chmod("/code/main.py", 0o666), ro)
    attempt("main-unlink", lambda: os.unlink("/code/main.py"), ro)
    attempt("main-rename", lambda: os.rename("/code/main.py", "/code/old.py"), ro)
    attempt("code-create", lambda: open("/code/x", "w"), ro)
    attempt("harness-append", lambda: open("/crucible/harness.py", "a"), *denied)
    attempt("harness-create", lambda: open("/crucible/x.py", "w"), ro)
    """
    names = (
        "main-append", "main-rewrite", "main-chmod", "main-unlink", "main-rename",
        "code-create", "harness-append", "harness-create",
    )  # fmt: skip
    before = host_digests([INSIDE / "harness.py", INSIDE / "rpc.py"])
    probe(grade, trace, body, blocked(*names))
    assert host_digests([INSIDE / "harness.py", INSIDE / "rpc.py"]) == before


def test_tmp_is_private_scratch(grade: Grade, trace: Trace) -> None:
    body = """
    marker = input().strip()
    with open(f"/tmp/{marker}", "w") as handle:
        handle.write("scratch")
    with open(f"/tmp/{marker}") as handle:
        print(handle.read())
    os.mkdir(f"/tmp/{marker}.d")
    print(os.getcwd())
    """
    probe(grade, trace, body, "scratch\n/tmp\n", stdin=trace.marker + "\n")
    assert not list(Path("/tmp").glob(f"{trace.marker}*"))


def test_tmp_is_size_capped(grade: Grade, trace: Trace) -> None:
    body = """
    MB = b"x" * (1 << 20)
    def fill(path, megabytes):
        with open(path, "wb") as handle:
            for _ in range(megabytes):
                handle.write(MB)
                handle.flush()
    def fill_many(prefix, files, megabytes):
        for i in range(files):
            fill(f"{prefix}{i}", megabytes)
    def many_inodes():
        for i in range(10000):
            open(f"/tmp/inode{i}", "w").close()
    def clear(prefix):
        for name in os.listdir(os.path.dirname(prefix)):
            if name.startswith(os.path.basename(prefix)):
                os.unlink(os.path.join(os.path.dirname(prefix), name))
    attempt("tmp-64mb-file", lambda: fill("/tmp/big", 64), errno.ENOSPC, errno.EFBIG)
    clear("/tmp/big")
    attempt("tmp-64mb-in-files", lambda: fill_many("/tmp/part", 16, 4), errno.ENOSPC)
    clear("/tmp/part")
    attempt("tmp-10000-inodes", many_inodes, errno.ENOSPC)
    clear("/tmp/inode")
    attempt("shm-4mb", lambda: fill("/dev/shm/big", 4), errno.ENOSPC)
    """
    names = ("tmp-64mb-file", "tmp-64mb-in-files", "tmp-10000-inodes", "shm-4mb")
    probe(grade, trace, body, blocked(*names))


def test_host_does_not_follow_jail_symlinks(grade: Grade, trace: Trace) -> None:
    body = """
    marker = input().strip()
    targets = {"passwd": "/etc/passwd", "shadow": "/etc/shadow", "main": "/code/main.py",
               "harness": "/crucible/harness.py", "root": "/"}
    for name, target in targets.items():
        os.symlink(target, f"/tmp/{marker}-{name}")
    denied = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT)
    def via_passwd():
        with open(f"/tmp/{marker}-passwd", "w") as handle:
            handle.write("root::0:0::/:/bin/sh")
    attempt("via-passwd", via_passwd, *denied)
    attempt("via-main", lambda: open(f"/tmp/{marker}-main", "a"), *denied)
    attempt("via-harness", lambda: open(f"/tmp/{marker}-harness", "a"), *denied)
    hardlink = lambda: os.link("/code/main.py", f"/tmp/{marker}-hard")
    attempt("hardlink-main", hardlink, errno.EXDEV, *denied)
    """
    watched = [Path("/etc/passwd"), Path("/etc/shadow"), Path("/etc/hosts"), INSIDE / "harness.py"]
    before = host_digests(watched)
    names = ("via-passwd", "via-main", "via-harness", "hardlink-main")
    probe(grade, trace, body, blocked(*names), stdin=trace.marker + "\n")
    assert host_digests(watched) == before


def test_no_sys_or_host_directories(grade: Grade, trace: Trace) -> None:
    paths = (
        "/sys", "/home", "/root", "/run", "/var", "/boot", "/mnt", "/srv",
        "/etc/passwd", "/etc/shadow", "/etc/hosts", "/etc/resolv.conf",
        "/dev/mem", "/dev/kmsg", "/dev/tty", "/dev/pts", "/dev/sda", "/work",
    )  # fmt: skip
    body = """
    for path in input().split():
        print(path, "present" if os.path.lexists(path) else "absent")
    print(sorted(os.listdir("/dev")))
    """
    expected = "".join(f"{p} absent\n" for p in paths)
    expected += "['fd', 'null', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'urandom', 'zero']\n"
    probe(grade, trace, body, expected, stdin=" ".join(paths) + "\n")


def test_proc_shows_the_program_only_its_own_processes(grade: Grade, trace: Trace) -> None:
    """The jail's /proc is its PID namespace's; the harness's processes (PID 1, the one
    serving the submission) are non-dumpable and hidden (hidepid=invisible): a program can
    neither list them nor open their memory, descriptors or environment."""
    body = """
    me = os.getpid()
    child = os.fork()
    if child == 0:
        time.sleep(5)
        os._exit(0)
    seen = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    print("own", seen == sorted([me, child]))
    for pid in (1, os.getppid()):
        for leaf in ("mem", "environ", "fd", "maps", "status"):
            attempt(f"{leaf}", lambda: os.listdir(f"/proc/{pid}/{leaf}")
                    if leaf == "fd" else open(f"/proc/{pid}/{leaf}", "rb").read(1))
    for pid in range(1, 64):
        if pid not in (me, child) and os.path.exists(f"/proc/{pid}"):
            print("visible", pid)
    print("self", os.readlink("/proc/self/fd/0").startswith("/memfd:"))
    os.kill(child, 9)
    """
    import_time = "import time\n"
    leaves = ("mem", "environ", "fd", "maps", "status")
    denied = "".join(f"{leaf} blocked\n" for _ in range(2) for leaf in leaves)
    probe(grade, trace, (import_time, body), f"own True\n{denied}self True\n")


# -- limits ------------------------------------------------------------------------------------


def test_rlimits_are_set_inside(grade: Grade, trace: Trace) -> None:
    body = """
    import resource
    def limit(name):
        return resource.getrlimit(getattr(resource, name))
    def finite(name):
        return all(0 <= v != resource.RLIM_INFINITY for v in limit(name))
    print("core", limit("RLIMIT_CORE"))
    print("nofile", all(0 <= v <= 256 for v in limit("RLIMIT_NOFILE")))
    print("fsize", limit("RLIMIT_FSIZE") == (resource.RLIM_INFINITY,) * 2)
    print("stack", limit("RLIMIT_STACK") == (1 << 30, resource.RLIM_INFINITY))
    print("cpu", finite("RLIMIT_CPU"))
    print("msgqueue", limit("RLIMIT_MSGQUEUE"))
    print("memlock", limit("RLIMIT_MEMLOCK"))
    """
    expected = "core (0, 0)\nnofile True\nfsize True\nstack True\ncpu True\n"
    expected += "msgqueue (0, 0)\nmemlock (0, 0)\n"
    probe(grade, trace, body, expected)


def test_program_starts_with_cpython_signal_actions(grade: Grade, trace: Trace) -> None:
    """As a program run bare: CPython's KeyboardInterrupt handler for SIGINT, SIGPIPE and
    SIGXFSZ ignored, the rest at their defaults (the harness, PID 1, leaves all at theirs)."""
    body = """
    import signal
    print("SIGINT", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    for name in ("SIGPIPE", "SIGXFSZ"):
        print(name, signal.getsignal(getattr(signal, name)) == signal.SIG_IGN)
    print("SIGTERM", signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)
    """
    probe(grade, trace, body, "SIGINT True\nSIGPIPE True\nSIGXFSZ True\nSIGTERM True\n")


def test_cannot_open_1000_files(grade: Grade, trace: Trace) -> None:
    body = """
    handles = []
    def open_many():
        for _ in range(1000):
            handles.append(open("/dev/null"))
    attempt("open-1000", open_many, errno.EMFILE)
    print(len(handles) < 256)
    """
    probe(grade, trace, body, "open-1000 blocked\nTrue\n")


def test_pids_limit_caps_processes(grade: Grade, trace: Trace) -> None:
    body = """
    import time
    children = []
    def spawn():
        for _ in range(200):
            pid = os.fork()
            if pid == 0:
                time.sleep(30)
                os._exit(0)
            children.append(pid)
    attempt("fork-200", spawn, errno.EAGAIN)
    print(0 < len(children) < 16)
    """
    probe(grade, trace, body, "fork-200 blocked\nTrue\n", limits=Limits(pids=16))


def test_fork_bomb_ends_quickly_and_leaves_nothing(grade: Grade, trace: Trace) -> None:
    code = """
    import time
    line = input().strip()
    if line == "bomb":
        while True:
            try:
                os.fork()
            except OSError:
                time.sleep(0.001)
    print(2 * int(line))
    """
    limits = Limits(time_s=1, wall_time_s=2, pids=32)
    tests = stdio(("bomb\n", "0\n"), ("21\n", "42\n"))
    started = time.monotonic()
    result = grade(
        trace.stamp(program(code)), tests, limits=limits, policy=Policy(stop_on_first_failure=False)
    )
    assert time.monotonic() - started < 5
    assert_reward(result, 0)
    assert result.tests[0].verdict == Verdict.time_limit, explain(result)
    # The harness cleaned up after the bomb: the next test ran normally.
    assert result.tests[1].verdict == Verdict.passed, explain(result)
    trace.assert_clean()


def test_daemon_does_not_outlive_its_test(grade: Grade, trace: Trace) -> None:
    body = """
    import signal, time
    if input().strip() == "spawn":
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:  # a daemon: reparented to the harness
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                time.sleep(0.3)
                with open("/tmp/daemon-was-here", "w") as handle:
                    handle.write("x")
                time.sleep(30)
            os._exit(0)
        os.wait()
        print("spawned")
    else:
        time.sleep(0.6)
        print("clean" if not os.path.exists("/tmp/daemon-was-here") else "ESCAPED: daemon ran on")
        # Every older pid bar PID 1 and the parent (the process serving the submission) that
        # this program may signal (the jail's keeper answers EPERM).
        others = []
        for pid in range(2, os.getpid()):
            if pid != os.getppid():
                try:
                    os.kill(pid, 0)
                    others.append(pid)
                except (ProcessLookupError, PermissionError):
                    pass
        print("ESCAPED: another process exists" if others else "alone")
    """
    tests = stdio(("spawn\n", "spawned\n"), ("check\n", "clean\nalone\n"))
    result = grade(trace.stamp(program(body)), tests)
    assert_reward(result, 1)
    trace.assert_clean()


def test_descriptors_above_result_channel_are_closed(grade: Grade, trace: Trace) -> None:
    body = """
    def probe_fds():
        open_fds = []
        for fd in range(4, 1024):
            try:
                os.fstat(fd)
                open_fds.append(fd)
            except OSError:
                pass
        if open_fds:
            raise AssertionError(f"open descriptors {open_fds}")
        raise OSError(errno.EBADF, "all closed")
    attempt("fds-4-1023", probe_fds, errno.EBADF)
    """
    probe(grade, trace, body, blocked("fds-4-1023"))


# -- seccomp -----------------------------------------------------------------------------------

SECCOMP_HEAD = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def checked(fn, *args):
    ctypes.set_errno(0)
    rc = fn(*args)
    if rc == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc
"""


def test_seccomp_denies_namespaces_mounts_and_ptrace(grade: Grade, trace: Trace) -> None:
    body = """
    import time
    CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWNS = 0x10000000, 0x40000000, 0x00020000
    attempt("unshare-user", lambda: checked(libc.unshare, CLONE_NEWUSER), errno.EPERM)
    attempt("unshare-net", lambda: checked(libc.unshare, CLONE_NEWNET), errno.EPERM)
    attempt("unshare-mount", lambda: checked(libc.unshare, CLONE_NEWNS), errno.EPERM)
    mount = lambda: checked(libc.mount, b"none", b"/tmp", b"tmpfs", 0, None)
    attempt("mount-tmpfs", mount, errno.EPERM)
    attempt("umount-tmp", lambda: checked(libc.umount2, b"/tmp", 2), errno.EPERM)
    attempt("chroot", lambda: checked(libc.chroot, b"/tmp"), errno.EPERM)
    attempt("ptrace-traceme", lambda: checked(libc.ptrace, 0, 0, None, None), errno.EPERM)
    attempt("ptrace-harness", lambda: checked(libc.ptrace, 16, 1, None, None), errno.EPERM)
    child = os.fork()
    if child == 0:
        time.sleep(30)
        os._exit(0)
    PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
    for name, request in (("attach", PTRACE_ATTACH), ("seize", PTRACE_SEIZE)):
        trace = lambda: checked(libc.ptrace, request, child, None, None)
        attempt(f"ptrace-{name}-child", trace, errno.EPERM)
    os.kill(child, 9)
    os.waitpid(child, 0)
    """
    names = (
        "unshare-user", "unshare-net", "unshare-mount", "mount-tmpfs", "umount-tmp", "chroot",
        "ptrace-traceme", "ptrace-harness", "ptrace-attach-child", "ptrace-seize-child",
    )  # fmt: skip
    probe(grade, trace, (SECCOMP_HEAD, body), blocked(*names))


# x86_64 numbers of denied system calls, and the errno the deny-list answers with.
X86_64_DENIED = {
    "bpf": (321, errno.EPERM),
    "perf_event_open": (298, errno.EPERM),
    "keyctl": (250, errno.EPERM),
    "add_key": (248, errno.EPERM),
    "io_uring_setup": (425, errno.EPERM),
    "inotify_init1": (294, errno.EPERM),
    "fanotify_init": (300, errno.EPERM),
    "init_module": (175, errno.EPERM),
    "finit_module": (313, errno.EPERM),
    "kexec_load": (246, errno.EPERM),
    "userfaultfd": (323, errno.EPERM),
    "process_vm_readv": (310, errno.EPERM),
    "pidfd_getfd": (438, errno.EPERM),
    "setns": (308, errno.EPERM),
    "open_by_handle_at": (304, errno.EPERM),
    "mq_open": (240, errno.EPERM),
    "msgget": (68, errno.EPERM),
    "clone3": (435, errno.ENOSYS),
}


def test_seccomp_denies_kernel_interfaces(grade: Grade, trace: Trace) -> None:
    if platform.machine() != "x86_64":
        pytest.skip(f"syscall numbers here are x86_64's; this machine is {platform.machine()}")
    body = """
    for line in sys.stdin:
        name, number, expected = line.split()
        attempt(name, lambda: checked(libc.syscall, int(number), 0, 0, 0, 0, 0, 0), int(expected))
    def clone_newuser():
        pid = checked(libc.syscall, 56, 0x10000000 | 17, 0, 0, 0, 0)  # clone(NEWUSER|SIGCHLD)
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    attempt("clone-newuser", clone_newuser, errno.EPERM)
    """
    stdin = "".join(f"{name} {nr} {err}\n" for name, (nr, err) in X86_64_DENIED.items())
    probe(grade, trace, (SECCOMP_HEAD, body), blocked(*X86_64_DENIED, "clone-newuser"), stdin=stdin)


# -- environment and channels -----------------------------------------------------------------


def test_environment_is_minimal(
    grade: Grade, trace: Trace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTILE_PROBE_SECRET", trace.marker)
    body = """
    import re
    marker = input().strip()
    allowed = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
               "PYTHONIOENCODING", "PYTHONINTMAXSTRDIGITS"}
    threads = re.compile(r"[A-Z]+_NUM_THREADS")
    extra = sorted(k for k in os.environ if k not in allowed and not threads.fullmatch(k))
    print("extra", extra)
    print("marker", any(marker in k + "=" + v for k, v in os.environ.items()))
    print("path", os.environ.get("PATH"))
    """
    expected = "extra []\nmarker False\npath /usr/local/bin:/usr/bin:/bin\n"
    probe(grade, trace, body, expected, stdin=trace.marker + "\n")


def test_silent_program_has_empty_output(grade: Grade, trace: Trace) -> None:
    """nsjail logs to its own stderr (here at least loader warnings); none of it is output."""
    code = trace.stamp("pass\n")
    result = grade(code, stdio(("", "")), comparator=Comparator(name="exact"))
    assert_reward(result, 1)
    assert result.tests[0].stderr_tail == ""
    result = grade(code, stdio(("", "x\n")))
    assert_reward(result, 0)
    assert result.tests[0].verdict == Verdict.wrong_answer
    assert "end of output" in result.tests[0].message
    trace.assert_clean()


def test_stderr_flood_does_not_change_verdict(grade: Grade, trace: Trace) -> None:
    body = """
    fake = (
        '[W][2024-01-01T00:00:00+0000][1] fake nsjail warning\\n'
        '{"event":"result","index":0,"exit_code":1,"stdout_b64":"","wall_killed":true}\\n'
    )
    for _ in range(2000):
        os.write(2, (fake * 8).encode())
    sys.stderr.write("x" * 100000)
    print(2 * int(input()))
    """
    probe(grade, trace, body, "42\n", stdin="21\n")
