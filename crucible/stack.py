"""The local stack behind `crucible run`: Redis, the gateway and the workers as child processes.

Children run in sessions of their own, so a terminal's Ctrl-C reaches only this process,
which then stops them in order (gateway, workers, Redis) with a timeout for each; they also
get SIGTERM if this process dies.  Standard library and httpx only: the test suite and
`crucible bench` start the same stack.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
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
    """SIGTERM, wait up to `timeout`, then SIGKILL; the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return proc.returncode


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A redis-server of our own: its own port and data folder, append-only persistence."""

    def __init__(self, *, data_dir: Path, port: int = 0, binary: str = "redis-server") -> None:
        self.data_dir = data_dir
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


@dataclass(frozen=True, slots=True)
class StackConfig:
    host: str
    port: int
    workers: int
    metrics_port: int
    data_dir: Path
    redis_port: int = 0
    # The gateway's and workers' whole environment (their CRUCIBLE_* settings); None: ours.
    env: dict[str, str] | None = None


class LocalStack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.redis = RedisServer(data_dir=config.data_dir / "redis", port=config.redis_port)
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    def start(self) -> None:
        self.redis.start()
        cli = [sys.executable, "-m", "crucible.cli"]
        redis = ["--redis-url", self.redis.url]
        self.children["workers"] = spawn(
            [*cli, "worker", "--processes", str(self.config.workers),
             "--metrics-port", str(self.config.metrics_port), *redis],
            env=self.config.env,
        )  # fmt: skip
        self.children["gateway"] = spawn(
            [*cli, "gateway", "--host", self.config.host, "--port", str(self.config.port), *redis],
            env=self.config.env,
            ahead=True,
        )
        self.wait_ready()

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
        for name in ("gateway", "workers"):
            if name in self.children:
                stop(self.children.pop(name))
        self.redis.stop()


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
