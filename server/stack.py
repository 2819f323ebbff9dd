"""The local stack behind `crucible run`: Redis, the gateway and the workers as child processes.

Children run in sessions of their own, so a terminal's Ctrl-C reaches only this process,
which then stops them in order (gateway, workers, Redis) with a timeout for each; they also
get SIGTERM if this process dies.  Each stack owns its data folder (locked), its ports, a run
folder (the jails' files, the children's TMPDIR) and a cgroup parent, and stopping removes all
it made there, whatever was left running.  Standard library and httpx only: the test suite
and `crucible bench` start the same stack.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

PR_SET_PDEATHSIG = 1
# Redis and the gateway are the control plane: when they wait for a core behind the jails,
# every job waits for them (a job costs about twenty Redis round trips).
CONTROL_NICE = -5
STOP_TIMEOUT_S = 15.0
READY_TIMEOUT_S = 120.0
SWEEP_TIMEOUT_S = 10.0
V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")  # cpuacct: the jails' program cgroups
# A stack's run folder is $TMPDIR/crucible-stack-PID-*, its cgroup parent crucible-stack-PID-*.
STACK_PREFIX = "crucible-stack-"
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _die_with_parent_ahead() -> None:
    _die_with_parent()
    with contextlib.suppress(OSError):  # only root may raise a priority
        os.nice(CONTROL_NICE)


def spawn(
    command: list[str],
    *,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    ahead: bool = False,
) -> subprocess.Popen[bytes]:
    """Start a child in a session of its own that gets SIGTERM when we die; `ahead` gives it
    priority over the jails (Redis and the gateway share this machine's cores with them)."""
    output = log.open("ab") if log is not None else None
    try:
        return subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent_ahead if ahead else _die_with_parent,  # noqa: PLW1509
        )
    finally:
        if output is not None:
            output.close()


def stop(proc: subprocess.Popen[bytes], *, timeout: float = STOP_TIMEOUT_S) -> int:
    """SIGTERM, wait up to `timeout`, then SIGKILL it and every process below it (a
    supervisor's workers live in sessions of their own); the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            below = descendants(proc.pid)
            proc.kill()
            for pid in below:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.returncode


def descendants(pid: int) -> list[int]:
    """Every process below `pid` now, from /proc's parent links."""
    children: dict[int, list[int]] = {}
    for child in _pids():
        parent = _stat_field(child, 1)
        if parent is not None:
            children.setdefault(int(parent), []).append(child)
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def port_taken(host: str, port: int) -> bool:
    """Whether a server could not bind `host:port` now (as uvicorn and Prometheus bind)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A redis-server of our own: its own port and data folder, append-only persistence."""

    def __init__(self, *, data_dir: Path, port: int = 0, binary: str = "redis-server") -> None:
        # Absolute: redis-server changes into --dir before it opens --logfile.
        self.data_dir = data_dir.resolve()
        self.port = port or free_port()
        self.binary = binary
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, timeout: float = 10.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            self.binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        try:
            self.proc = spawn(command, ahead=True)
        except FileNotFoundError as exc:
            raise RuntimeError(f"{self.binary} not found: install redis-server") from exc
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start; see {self.data_dir}/redis.log")
            time.sleep(0.05)

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


class StackError(RuntimeError):
    """The stack cannot start as configured; the message names the setting to change."""


@dataclass(frozen=True, slots=True)
class StackConfig:
    host: str
    port: int
    workers: int
    metrics_port: int  # 0: off
    data_dir: Path
    redis_port: int = 0
    # The gateway's and workers' whole environment (their CRUCIBLE_* settings); None: ours.
    env: dict[str, str] | None = None
    # The jails' files and the children's TMPDIR go under run_dir (None: a fresh temporary
    # folder, removed at stop); the jails' cgroups under cgroup_parent (None: one named for
    # this process).
    run_dir: Path | None = None
    cgroup_parent: str | None = None
    cgroup_root: Path = Path("/sys/fs/cgroup")
    # How long each child may take to stop before it is killed with all below it.
    stop_timeout_s: float = STOP_TIMEOUT_S


class LocalStack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.data_dir = config.data_dir.resolve()
        self.redis = RedisServer(data_dir=self.data_dir / "redis", port=config.redis_port)
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False
        self.cgroup_parent = config.cgroup_parent or f"{STACK_PREFIX}{os.getpid()}-{id(self):x}"
        self.run_dir = config.run_dir
        self._made_run_dir = False
        self._lock_fd: int | None = None

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    @property
    def work_dir(self) -> Path | None:
        """The jails' host folder, once started."""
        return self.run_dir / "jails" if self.run_dir is not None else None

    def start(self) -> None:
        self._claim()
        if self.run_dir is None:
            collect_dead_stacks(self.config.cgroup_root)
            self.run_dir = Path(tempfile.mkdtemp(prefix=f"{STACK_PREFIX}{os.getpid()}-"))
            self._made_run_dir = True
        self.run_dir.chmod(0o711)  # the jails' uid must reach the work dir below it
        (self.run_dir / "tmp").mkdir(exist_ok=True)
        self.redis.start()
        env = {
            **(self.config.env if self.config.env is not None else os.environ),
            "CRUCIBLE_WORK_DIR": str(self.run_dir / "jails"),
            "CRUCIBLE_CGROUP_PARENT": self.cgroup_parent,
            "TMPDIR": str(self.run_dir / "tmp"),
        }
        cli = [sys.executable, "-m", "server.cli"]
        redis = ["--redis-url", self.redis.url]
        self.children["workers"] = spawn(
            [*cli, "worker", "--processes", str(self.config.workers),
             "--metrics-port", str(self.config.metrics_port), *redis],
            env=env,
        )  # fmt: skip
        self.children["gateway"] = spawn(
            [*cli, "gateway", "--host", self.config.host, "--port", str(self.config.port), *redis],
            env=env,
            ahead=True,
        )
        self.wait_ready()

    def _claim(self) -> None:
        """Lock the data folder and check the ports, or say which setting to change."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / "stack.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StackError(
                f"{self.data_dir} is in use by another stack: give this one --data-dir"
            ) from None
        self._lock_fd = fd
        wanted = (
            (self.config.host, self.config.port, "--port (CRUCIBLE_PORT)"),
            ("", self.config.metrics_port, "--metrics-port (CRUCIBLE_METRICS_PORT)"),
            ("127.0.0.1", self.config.redis_port, "--redis-port"),
        )
        for host, port, flag in wanted:
            if port and port_taken(host, port):
                self._release()
                raise StackError(f"port {port} is taken: choose another with {flag}")

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stopping:
            self.check_children()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        if not self.stopping:
            raise RuntimeError(f"the stack was not ready within {timeout:g} s")

    def check_children(self) -> None:
        for name, proc in self.children.items():
            if proc.poll() is not None:
                raise RuntimeError(f"the {name} process exited with status {proc.returncode}")

    def stop(self) -> None:
        """Stop the children in order, then remove whatever the stack made that is left: a
        worker killed at its timeout leaves jails (processes, cgroups, folders) behind."""
        for name in ("gateway", "workers"):
            if name in self.children:
                stop(self.children.pop(name), timeout=self.config.stop_timeout_s)
        self.redis.stop()
        if self.run_dir is not None:
            kill_naming(str(self.run_dir))
            remove_cgroups(self.config.cgroup_root, self.cgroup_parent)
            for folder in (self.run_dir / "jails", self.run_dir / "tmp"):
                shutil.rmtree(folder, ignore_errors=True)
            if self._made_run_dir:
                shutil.rmtree(self.run_dir, ignore_errors=True)
                self.run_dir = None
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def collect_dead_stacks(cgroup_root: Path) -> None:
    """Remove what stacks killed outright (SIGKILL, a crash) left: run folders and cgroup
    parents named for a process that no longer runs.  A live process of that pid keeps them."""
    for folder in Path(tempfile.gettempdir()).glob(f"{STACK_PREFIX}*-*"):
        if _dead_owner(folder.name):
            kill_naming(str(folder))
            shutil.rmtree(folder, ignore_errors=True)
    for top in _cgroup_tops(cgroup_root):
        for folder in top.glob(f"{STACK_PREFIX}*-*"):
            if folder.is_dir() and _dead_owner(folder.name):
                remove_cgroups(cgroup_root, folder.name)


def _dead_owner(name: str) -> bool:
    owner = name.removeprefix(STACK_PREFIX).split("-")[0]
    return owner.isdigit() and _stat_field(int(owner), 0) in (None, "Z")


def _cgroup_tops(root: Path) -> list[Path]:
    """The folders cgroup parents are made in: v2's root, or each v1 controller's."""
    if (root / "cgroup.controllers").is_file():
        return [root]
    return [root / c for c in V1_CONTROLLERS]


def kill_naming(text: str, *, timeout: float = SWEEP_TIMEOUT_S) -> None:
    """SIGKILL every process whose command line names `text` (a stack's nsjail processes name
    its run folder), and wait until they are gone."""
    pids = [pid for pid in _pids() if pid != os.getpid() and text in _cmdline(pid)]
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    _wait_gone(pids, timeout)


def remove_cgroups(root: Path, parent: str, *, timeout: float = SWEEP_TIMEOUT_S) -> None:
    """Kill what runs in `parent`'s cgroups (v1 controllers or v2) and remove them, deepest
    first.  A cgroup that cannot be emptied in `timeout` stays (and an error is logged by
    the caller's checks); nothing outside `parent` is touched."""
    for top in (folder / parent for folder in _cgroup_tops(root)):
        if not top.is_dir():
            continue
        folders = sorted(
            (f for f in top.rglob("*") if f.is_dir()), key=lambda f: len(f.parts), reverse=True
        )
        for folder in [*folders, top]:
            pids = _cgroup_pids(folder)
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            _wait_gone(pids, timeout)
            with contextlib.suppress(OSError):
                folder.rmdir()


def _cgroup_pids(folder: Path) -> list[int]:
    try:
        return [int(line) for line in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _stat_field(pid: int, index: int) -> str | None:
    """Field `index` after the name in /proc/<pid>/stat (0: state, 1: parent); None: gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()[index]


def _wait_gone(pids: list[int], timeout: float) -> None:
    """Until none of `pids` runs (a zombie, dead but not yet reaped, counts as gone)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_stat_field(p, 0) not in (None, "Z") for p in pids):
        time.sleep(0.05)


def run_stack(config: StackConfig) -> int:
    """Start everything, print how to use it, and run until Ctrl-C or SIGTERM."""
    stack = LocalStack(config)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stack.stopping = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    try:
        stack.start()
        if not stack.stopping:
            _announce(stack)
        while not stack.stopping:
            stack.check_children()
            time.sleep(0.2)
        print("crucible: stopping", file=sys.stderr, flush=True)
        return 0
    except StackError as exc:
        print(f"crucible run: {exc}", file=sys.stderr, flush=True)
        return 2
    except RuntimeError as exc:
        print(f"crucible run: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        stack.stop()


def _announce(stack: LocalStack) -> None:
    url = stack.url
    example = (
        f"curl -s -X POST '{url}/v1/submissions?wait=30' -H 'Content-Type: application/json' \\\n"
        """  -d '{"code": "print(sum(map(int, input().split())))",\n"""
        """       "tests": {"kind": "stdio", "cases": [{"input": "2 3\\n", "output": "5\\n"}]}}'"""
    )
    print(
        f"crucible: ready at {url}  (API docs {url}/docs, metrics {url}/metrics;"
        f" workers' metrics on :{stack.config.metrics_port}, Redis {stack.redis.url})\n"
        f"crucible: {stack.config.workers} worker process(es); Ctrl-C stops everything\n"
        f"try:\n{example}",
        flush=True,
    )
