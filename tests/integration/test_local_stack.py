"""`crucible run` as `make run` starts it: default flags and data folder from a fresh working
folder, two stacks side by side, refusals that name the flag, and a stop that leaves nothing
behind however the workers were caught."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.stack import LocalStack, StackConfig, free_port, port_taken
from workers.judge.settings import judge_settings

pytestmark = pytest.mark.integration

# The README's A+B example, as `crucible run` prints it to try.
A_PLUS_B = {
    "code": "a, b = map(int, input().split())\nprint(a + b)",
    "tests": {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]},
}
START_TIMEOUT_S = 180.0
V1 = ("memory", "pids", "cpu")


class Run:
    """`crucible run` in `folder` with only CRUCIBLE_PORT set and default flags, as `make run`
    starts it for a newcomer."""

    def __init__(self, folder: Path, port: int, *args: str) -> None:
        self.folder, self.port = folder, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = folder / f"run-{port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRUCIBLE_")}
        env["CRUCIBLE_PORT"] = str(port)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "run", *args],
                cwd=folder,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> str:
        """The stack's announcement, once it printed that it is ready."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.log.read_text()
            if "crucible: ready at" in text:
                return text
            assert self.proc.poll() is None, f"crucible run exited:\n{text[-3000:]}"
            time.sleep(0.2)
        pytest.fail(f"crucible run was not ready in {START_TIMEOUT_S:g} s:\n{self.log.read_text()}")

    def stop(self) -> int:
        """Ctrl-C, as in a terminal; its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=90)

    def kill(self) -> None:
        """After a failed test: Ctrl-C, and only then the whole session killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)

    def grade_a_plus_b(self) -> object:
        reply = httpx.post(f"{self.url}/v1/submissions?wait=60", json=A_PLUS_B, timeout=90)
        assert reply.status_code == 200, reply.text
        return reply.json()["result"]["reward"]


def stack_cgroups(pid: int) -> list[Path]:
    """The jail cgroup parents `crucible run` (process `pid`) made that still exist."""
    root = judge_settings().cgroup_root
    pattern = f"crucible-stack-{pid}-*"
    return [*root.glob(pattern), *(c for v1 in V1 for c in (root / v1).glob(pattern))]


def run_folders() -> set[Path]:
    """The stacks' run folders (jails, TMPDIR) now on this machine."""
    return set(Path(tempfile.gettempdir()).glob("crucible-stack-*"))


@pytest.fixture()
def fresh_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "newcomer"
    folder.mkdir()
    yield folder


def test_two_crucible_runs_side_by_side_from_a_fresh_folder(fresh_folder: Path) -> None:
    before = run_folders()
    first, second = free_port(), free_port()
    runs = [Run(fresh_folder, first), Run(fresh_folder, second)]
    try:
        announced = [run.wait_ready() for run in runs]
        for run in runs:
            assert run.grade_a_plus_b() == 1
        # Each keeps its Redis data in its own folder below the working folder.
        for run in runs:
            assert (fresh_folder / ".crucible" / str(run.port) / "redis").is_dir()
        # The workers' metrics ports differ: the second avoided the first's.
        metrics = [text.split("workers' metrics on :")[1].split(",")[0] for text in announced]
        assert metrics[0] != metrics[1]
        for port in metrics:
            assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).status_code == 200

        made = run_folders() - before
        assert len(made) == 2
        pid = runs[1].proc.pid
        assert runs[1].stop() == 0
        assert stack_cgroups(pid) == []
        assert len(run_folders() - before) == 1
        # The first is untouched by the second's stop.
        assert runs[0].grade_a_plus_b() == 1
        pid = runs[0].proc.pid
        assert runs[0].stop() == 0
        assert stack_cgroups(pid) == []
        assert run_folders() - before == set()
    finally:
        for run in runs:
            run.kill()


def test_a_taken_port_or_data_folder_is_refused_naming_the_flag(fresh_folder: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        gateway = Run(fresh_folder, taken)
        assert gateway.proc.wait(timeout=60) == 2
        assert f"port {taken} is taken: choose another with --port (CRUCIBLE_PORT)" in (
            gateway.log.read_text()
        )
        metrics = Run(fresh_folder, free_port(), "--metrics-port", str(taken))
        assert metrics.proc.wait(timeout=60) == 2
        assert "--metrics-port (CRUCIBLE_METRICS_PORT)" in metrics.log.read_text()

    shared = fresh_folder / "shared-data"
    first = LocalStack(StackConfig("127.0.0.1", free_port(), 1, 0, shared))
    first._claim()  # holds the data folder as a running stack does
    try:
        second = Run(fresh_folder, free_port(), "--data-dir", str(shared))
        assert second.proc.wait(timeout=60) == 2
        assert "is in use by another stack: give this one --data-dir" in second.log.read_text()
    finally:
        first._release()


def test_a_stop_that_must_kill_busy_workers_leaves_nothing(tmp_path: Path) -> None:
    """Workers in the middle of long jobs, given far more grace than the stack waits: the
    stack kills them with everything below them and removes their jails."""
    env = {**os.environ, "CRUCIBLE_SHUTDOWN_GRACE_S": "300", "CRUCIBLE_LOG_LEVEL": "WARNING"}
    stack = LocalStack(
        StackConfig("127.0.0.1", free_port(), 2, 0, tmp_path / "data", env=env, stop_timeout_s=3)
    )
    stack.start()
    try:
        spin = {
            "code": "while True:\n    pass\n",
            "tests": {"kind": "stdio", "cases": [{"input": "", "output": ""}]},
            "limits": {"time_s": 20, "wall_time_s": 40},
        }
        for n in range(4):
            reply = httpx.post(
                f"{stack.url}/v1/submissions", json={**spin, "code": f"# {n}\n{spin['code']}"}
            )
            assert reply.status_code == 202, reply.text
        run_dir = stack.run_dir
        assert run_dir is not None
        jails = run_dir / "jails"
        deadline = time.monotonic() + 60
        while not [p for p in jails.glob("jail-*")] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert list(jails.glob("jail-*")), "the workers never started a jail"
        parent = stack.cgroup_parent
        supervisor = stack.children["workers"].pid
    finally:
        stack.stop()
    root = judge_settings().cgroup_root
    assert not run_dir.exists()
    assert not [c for c in (root / parent, *(root / c / parent for c in V1)) if c.exists()]
    naming = [
        pid
        for pid in os.listdir("/proc")
        if pid.isdigit() and str(run_dir).encode() in _cmdline(pid)
    ]
    assert naming == []
    assert not Path(f"/proc/{supervisor}").exists() or _state(supervisor) == "Z"
    assert not port_taken("127.0.0.1", stack.redis.port)


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()[0]


def test_what_a_killed_stack_left_is_collected_by_the_next(
    fresh_folder: Path, tmp_path: Path
) -> None:
    """SIGKILL gives `crucible run` no chance to clean up; the next stack on the machine
    removes the run folder and cgroups named for a process that is gone."""
    run = Run(fresh_folder, free_port())
    try:
        run.wait_ready()
        assert run.grade_a_plus_b() == 1
        pid = run.proc.pid
        os.kill(pid, signal.SIGKILL)
        run.proc.wait(timeout=30)
        left = [f for f in run_folders() if f.name.startswith(f"crucible-stack-{pid}-")]
        assert len(left) == 1
    finally:
        run.kill()
    assert stack_cgroups(pid)  # its workers made them, and nobody removed them
    stack = LocalStack(StackConfig("127.0.0.1", free_port(), 1, 0, tmp_path / "next"))
    try:
        stack.start()
        assert not left[0].exists()
        assert stack_cgroups(pid) == []
    finally:
        stack.stop()
