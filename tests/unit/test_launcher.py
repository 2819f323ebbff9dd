"""The launcher compiled programs' tests start with (`workers/judge/inside/launch.c`), built as
the worker builds it and run here, outside a jail: each step its header names, in order, and
every failure before the program's first instruction left unmarked (ours) or marked "x"."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import importlib
import os
import resource
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from workers.judge import launcher

pytestmark = pytest.mark.skipif(
    not Path(launcher.COMPILER).is_file(), reason="no C compiler: the harness forks instead"
)

REPORT = (
    'echo "cpu $(ulimit -t) $(ulimit -H -t) stack $(ulimit -s)"; ls /proc/self/fd; echo "env $HOME"'
)


Start = Callable[[list[int], list[str], dict[str, str]], int]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("work")


@pytest.fixture(scope="module", params=["exec", "library"])
def start(request: pytest.FixtureRequest, work: Path) -> Start:
    """Both ways the harness starts a test's process, as `start(fds, args, env)`: `fds` at
    0..n-1 and `args` after the launcher's argv[0]; the pid.  *exec*: posix_spawn of the
    launcher.  *library*: `crucible_spawn` from the launcher's shared library (ctypes)."""
    built = launcher.launcher(work)
    assert built is not None and os.access(built, os.X_OK)
    if request.param == "exec":

        def by_exec(fds: list[int], args: list[str], env: dict[str, str]) -> int:
            actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
            return os.posix_spawn(str(built), [str(built), *args], env, file_actions=actions)

        return by_exec
    shared = launcher.library(work)
    assert shared is not None, "x86-64 and arm64 hosts build the library"
    spawn = ctypes.CDLL(str(shared)).crucible_spawn
    spawn.restype = ctypes.c_long

    def by_library(fds: list[int], args: list[str], env: dict[str, str]) -> int:
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100) for fd in fds]  # above 0..n-1
        try:
            argv = [b"crucible-launch", *(a.encode() for a in args)]
            environment = [f"{k}={v}".encode() for k, v in env.items()]
            pid = spawn(
                len(high),
                (ctypes.c_int * len(high))(*high),
                len(argv),
                (ctypes.c_char_p * (len(argv) + 1))(*argv, None),
                (ctypes.c_char_p * (len(environment) + 1))(*environment, None),
            )
        finally:
            for fd in high:
                os.close(fd)
        if pid < 0:
            raise OSError(-pid, os.strerror(-pid))
        return int(pid)

    return by_library


def _run(start: Start, args: list[str], *, joins: int = 0) -> tuple[int, str, bytes, list[bytes]]:
    """Start a test's process as the harness does: its exit status, what it printed, the
    `started` slot and what each join descriptor received."""
    started = os.memfd_create("started")
    os.pwrite(started, b"-", 0)
    out_r, out_w = os.pipe()
    pipes = [os.pipe() for _ in range(joins)]
    stray = os.open("/dev/null", os.O_RDONLY)  # not close-on-exec: the launcher drops it
    os.set_inheritable(stray, True)
    fds = [stray, out_w, out_w, started, *(w for _, w in pipes)]
    try:
        pid = start(fds, [*args[:3], str(len(pipes)), *args[3:]], {"HOME": "/nowhere"})
        os.close(out_w)
        for _, w in pipes:
            os.close(w)
        with os.fdopen(out_r, "rb") as stream:
            printed = stream.read().decode()
        _, status = os.waitpid(pid, 0)
        received = [os.read(r, 16) for r, _ in pipes]
        return os.waitstatus_to_exitcode(status), printed, os.pread(started, 1, 0), received
    finally:
        for fd in (started, stray, *(r for r, _ in pipes)):
            os.close(fd)


def test_joins_limits_closes_and_marks_before_the_program_runs(start: Start) -> None:
    code, printed, mark, received = _run(start, ["3", "0", "2", "/bin/sh", "-c", REPORT], joins=2)
    assert code == 0, printed
    assert received == [b"0", b"0"]  # each cgroup.procs file got "0": this process
    hard_stack = resource.getrlimit(resource.RLIMIT_STACK)[1]
    stack = "unlimited" if hard_stack == resource.RLIM_INFINITY else str(hard_stack // 1024)
    assert printed.splitlines()[0] == f"cpu 2 3 stack {stack}"
    # Only the test's descriptors: `started` (3) is close-on-exec, the join files and the
    # stray one gone; ls's own descriptor for /proc/self/fd may show as 3.
    assert set(printed.splitlines()[1:4]) == {"0", "1", "2"}
    assert printed.splitlines()[-1] == "env /nowhere"
    assert mark == b"1"


def test_the_program_starts_with_no_signal_ignored_or_blocked(start: Start) -> None:
    # The test process ignores SIGPIPE, as every Python process does, and blocks one more.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        code, printed, _, _ = _run(start, ["3", "0", "1", "/bin/grep", "^Sig", "/proc/self/status"])
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
    assert signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN
    fields = dict(line.split(":\t") for line in printed.splitlines())
    assert code == 0 and int(fields["SigIgn"], 16) == 0 and int(fields["SigBlk"], 16) == 0


def test_a_failed_exec_marks_its_slot(start: Start) -> None:
    code, _, mark, _ = _run(start, ["3", "0", "1", "/nonexistent/program"])
    assert (code, mark) == (127, b"x")


@pytest.mark.parametrize(
    "args",
    [
        ["3", "0", "0", "/bin/true"],  # no CPU second
        ["3", "zero", "1", "/bin/true"],
        ["3", "0", "1"],  # no program
        ["-3", "0", "1", "/bin/true"],
    ],
)
def test_bad_arguments_fail_before_marking(start: Start, args: list[str]) -> None:
    code, _, mark, _ = _run(start, args)
    assert (code, mark) == (126, b"-")


def test_a_join_that_fails_is_a_set_up_failure(start: Start) -> None:
    # The descriptor after `started` is read-only here: writing "0" to it fails.
    started = os.memfd_create("started")
    os.pwrite(started, b"-", 0)
    read_only = os.open("/dev/null", os.O_RDONLY)
    null = os.open("/dev/null", os.O_RDWR)
    pid = start([null, null, null, started, read_only], ["3", "0", "1", "1", "/bin/true"], {})
    _, status = os.waitpid(pid, 0)
    assert (os.waitstatus_to_exitcode(status), os.pread(started, 1, 0)) == (126, b"-")
    for fd in (started, read_only, null):
        os.close(fd)


def test_the_library_refuses_descriptors_it_would_overwrite(work: Path) -> None:
    """`crucible_spawn` places fds[i] at i in order: a source below the count could be
    overwritten before it is placed, so none may be (-EINVAL, nothing started)."""
    shared = launcher.library(work)
    assert shared is not None
    spawn = ctypes.CDLL(str(shared)).crucible_spawn
    spawn.restype = ctypes.c_long
    argv = (ctypes.c_char_p * 3)(b"crucible-launch", b"/bin/true", None)
    low = (ctypes.c_int * 2)(1, 0)  # fd 1 at 0, fd 0 at 1: the second is gone by then
    assert spawn(2, low, 2, argv, (ctypes.c_char_p * 1)(None)) == -errno.EINVAL
    assert spawn(0, low, 2, argv, (ctypes.c_char_p * 1)(None)) == -errno.EINVAL


def test_the_loop_serves_only_as_a_jails_init(work: Path) -> None:
    """`crucible_serve` kills every process it can signal after each test: anywhere but as
    PID 1 of a jail's PID namespace it refuses (-EPERM) before reading a command."""
    shared = launcher.library(work)
    assert shared is not None
    serve = ctypes.CDLL(str(shared)).crucible_serve
    serve.restype = ctypes.c_long
    state = ctypes.create_string_buffer(4096)
    assert serve(state) == -errno.EPERM


def test_the_harness_lays_out_the_loops_state_as_the_library(work: Path) -> None:
    shared = launcher.library(work)
    assert shared is not None
    size = ctypes.CDLL(str(shared)).crucible_loop_size
    size.restype = ctypes.c_long
    sys.path.insert(0, str(launcher.SOURCE.parent))  # as in the jail: top-level modules
    try:
        harness = importlib.import_module("harness")
    finally:
        sys.path.remove(str(launcher.SOURCE.parent))
    assert size() == ctypes.sizeof(harness._LoopState) > 0


def test_built_once_per_folder_and_reused(tmp_path: Path) -> None:
    first = launcher._build(tmp_path)
    assert first is not None and first.read_bytes()
    mtime = first.stat().st_mtime_ns
    assert launcher._build(tmp_path) == first and first.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no staging left behind


def test_no_compiler_means_no_launcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher, "COMPILER", str(tmp_path / "no-such-cc"))
    assert launcher._build(tmp_path) is None
    assert launcher.bind_flags(tmp_path) == []  # the harness then forks each test's process


def test_the_library_is_bound_beside_the_launcher(tmp_path: Path) -> None:
    flags = launcher.bind_flags(tmp_path)
    assert flags[0] == flags[2] == "--bindmount_ro"
    assert flags[1].endswith(f":{launcher.IN_JAIL}")
    assert flags[3].endswith(f":{launcher.LIBRARY_IN_JAIL}")
    shared = Path(flags[3].split(":")[0])
    assert shared.name.startswith("launch-") and shared.suffix == ".so"
    assert shared.stat().st_mode & 0o777 == 0o644  # read by the jail's user, never run
    assert launcher._build(tmp_path, launcher.LIBRARY) == shared
