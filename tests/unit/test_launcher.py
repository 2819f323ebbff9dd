"""The launcher compiled programs' tests start with (`workers/judge/inside/launch.c`), built as
the worker builds it and run here, outside a jail: each step its header names, in order, and
every failure before the program's first instruction left unmarked (ours) or marked "x"."""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pytest

from workers.judge import launcher

pytestmark = pytest.mark.skipif(
    not Path(launcher.COMPILER).is_file(), reason="no C compiler: the harness forks instead"
)

REPORT = (
    'echo "cpu $(ulimit -t) $(ulimit -H -t) stack $(ulimit -s)"; ls /proc/self/fd; echo "env $HOME"'
)


@pytest.fixture(scope="module")
def launch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = launcher.launcher(tmp_path_factory.mktemp("work"))
    assert built is not None and os.access(built, os.X_OK)
    return built


def _run(launch: Path, args: list[str], *, joins: int = 0) -> tuple[int, str, bytes, list[bytes]]:
    """Start the launcher as the harness does (its descriptors placed by posix_spawn): its
    exit status, what it printed, the `started` slot and what
    each join descriptor received."""
    started = os.memfd_create("started")
    os.pwrite(started, b"-", 0)
    out_r, out_w = os.pipe()
    pipes = [os.pipe() for _ in range(joins)]
    stray = os.open("/dev/null", os.O_RDONLY)  # not close-on-exec: the launcher drops it
    os.set_inheritable(stray, True)
    actions = [
        (os.POSIX_SPAWN_DUP2, stray, 0),
        (os.POSIX_SPAWN_DUP2, out_w, 1),
        (os.POSIX_SPAWN_DUP2, out_w, 2),
        (os.POSIX_SPAWN_DUP2, started, 3),
        *((os.POSIX_SPAWN_DUP2, w, 4 + i) for i, (_, w) in enumerate(pipes)),
    ]
    argv = [str(launch), *args[:3], str(len(pipes)), *args[3:]]
    try:
        pid = os.posix_spawn(str(launch), argv, {"HOME": "/nowhere"}, file_actions=actions)
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


def test_joins_limits_closes_and_marks_before_the_program_runs(launch: Path) -> None:
    code, printed, mark, received = _run(launch, ["3", "0", "2", "/bin/sh", "-c", REPORT], joins=2)
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


def test_the_program_starts_with_no_signal_ignored_or_blocked(launch: Path) -> None:
    # The test process ignores SIGPIPE, as every Python process does, and blocks one more.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        code, printed, _, _ = _run(
            launch, ["3", "0", "1", "/bin/grep", "^Sig", "/proc/self/status"]
        )
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
    assert signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN
    fields = dict(line.split(":\t") for line in printed.splitlines())
    assert code == 0 and int(fields["SigIgn"], 16) == 0 and int(fields["SigBlk"], 16) == 0


def test_a_failed_exec_marks_its_slot(launch: Path) -> None:
    code, _, mark, _ = _run(launch, ["3", "0", "1", "/nonexistent/program"])
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
def test_bad_arguments_fail_before_marking(launch: Path, args: list[str]) -> None:
    code, _, mark, _ = _run(launch, args)
    assert (code, mark) == (126, b"-")


def test_a_join_that_fails_is_a_set_up_failure(launch: Path) -> None:
    # The descriptor after `started` is read-only here: writing "0" to it fails.
    started = os.memfd_create("started")
    os.pwrite(started, b"-", 0)
    read_only = os.open("/dev/null", os.O_RDONLY)
    actions = [(os.POSIX_SPAWN_DUP2, started, 3), (os.POSIX_SPAWN_DUP2, read_only, 4)]
    argv = [str(launch), "3", "0", "1", "1", "/bin/true"]
    pid = os.posix_spawn(str(launch), argv, {}, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    assert (os.waitstatus_to_exitcode(status), os.pread(started, 1, 0)) == (126, b"-")
    os.close(started)
    os.close(read_only)


def test_built_once_per_folder_and_reused(tmp_path: Path, launch: Path) -> None:
    first = launcher._build(tmp_path)
    assert first is not None and first.read_bytes()
    mtime = first.stat().st_mtime_ns
    assert launcher._build(tmp_path) == first and first.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no staging left behind


def test_no_compiler_means_no_launcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher, "COMPILER", str(tmp_path / "no-such-cc"))
    assert launcher._build(tmp_path) is None
    assert launcher.bind_flags(tmp_path) == []  # the harness then forks each test's process
