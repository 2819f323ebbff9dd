"""Shared pieces of the hostile-program tests: probe programs, secret test sets, host scans.

A hostile program is stamped with a unique marker: its processes carry it as their name and
its files as their file name, so the host can look for exactly its leftovers even while
other jails run on the same machine.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import textwrap
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crucible.schema import (
    AssertTestSet,
    CallCase,
    CallTestSet,
    RewardResult,
    Status,
    StdioCase,
    StdioTestSet,
)

# Defines `attempt(name, action, *errnos)` in a probe: prints "<name> blocked" when the action
# raises OSError (with one of `errnos`, when given) and "<name> ESCAPED ..." otherwise.
PROBE_HEAD = """
import errno, os, sys

def attempt(name, action, *errnos):
    try:
        action()
    except OSError as exc:
        if not errnos or exc.errno in errnos:
            print(name, "blocked")
        else:
            print(name, "ESCAPED?", errno.errorcode.get(exc.errno), exc)
    except Exception as exc:
        print(name, "ESCAPED?", type(exc).__name__, exc)
    else:
        print(name, "ESCAPED")
"""


def program(*parts: str) -> str:
    """A probe program: PROBE_HEAD followed by `parts`, each dedented."""
    return PROBE_HEAD + "".join(textwrap.dedent(part) for part in parts)


def blocked(*names: str) -> str:
    """The output of a probe whose every `attempt` was blocked."""
    return "".join(f"{name} blocked\n" for name in names)


def stdio(*cases: tuple[str, str]) -> StdioTestSet:
    return StdioTestSet(cases=[StdioCase(input=i, output=o) for i, o in cases])


def explain(result: RewardResult) -> str:
    """What went wrong, for assertion messages."""
    if result.status != Status.graded:
        return f"status {result.status}: {result.error}"
    return "; ".join(
        f"test {t.index}: {t.verdict} {t.message!r} stderr={t.stderr_tail[-300:]!r}"
        for t in result.tests
    )


def assert_reward(result: RewardResult, reward: int) -> None:
    assert result.status == Status.graded, explain(result)
    assert result.reward == reward, explain(result)


# -- secrets the program cannot know --------------------------------------------------------


def secret_numbers(seed: int, count: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randrange(10**17, 10**18) for _ in range(count)]


def secret_stdio(seed: int, count: int = 2) -> StdioTestSet:
    return stdio(*((f"{i}\n", f"{n}\n") for i, n in enumerate(secret_numbers(seed, count))))


def secret_call(seed: int, count: int = 2) -> CallTestSet:
    cases = [CallCase(args=[i], expected=n) for i, n in enumerate(secret_numbers(seed, count))]
    return CallTestSet(fn_name="solve", cases=cases)


def secret_assert(seed: int) -> AssertTestSet:
    a, b = secret_numbers(seed, 2)
    return AssertTestSet(code=f"assert solve(0) == {a}\nassert solve(1) == {b}\n")


# -- the host side ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trace:
    """A marker a hostile program stamps on its processes and files, and the host's checks."""

    marker: str

    @classmethod
    def new(cls) -> Trace:
        # At most 15 characters: the kernel's limit for a process name.
        return cls("cx" + secrets.token_hex(6))

    def stamp(self, code: str) -> str:
        """`code`, preceded by naming the process (inherited by every fork) after the marker."""
        head = (
            f"# hostile program {self.marker}\n"
            "import ctypes as _ctypes\n"
            f"_ctypes.CDLL(None).prctl(15, b{self.marker!r}, 0, 0, 0)\n"
        )
        return head + code

    def processes(self) -> dict[int, tuple[int, ...]]:
        """pid -> (real, effective, saved, fs) uid of every host process named after the marker."""
        found: dict[int, tuple[int, ...]] = {}
        for comm in Path("/proc").glob("[0-9]*/comm"):
            try:
                if comm.read_text().strip() != self.marker:
                    continue
                status = (comm.parent / "status").read_text()
            except OSError:
                continue  # the process ended while we looked
            uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
            found[int(comm.parent.name)] = tuple(int(u) for u in uid_line.split()[1:])
        return found

    def wait_for_processes(self, timeout: float) -> dict[int, tuple[int, ...]]:
        deadline = time.monotonic() + timeout
        while not (found := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.02)
        return found

    def files(self) -> list[Path]:
        """Host files in /tmp named after the marker."""
        return [p for p in Path("/tmp").iterdir() if p.name.startswith(self.marker)]

    def assert_clean(self) -> None:
        """Nothing of the program outlived its grading: no process, no file."""
        deadline = time.monotonic() + 2.0
        while (left := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not left, f"jailed processes outlived grading: {left}"
        assert not self.files(), f"files left on the host: {self.files()}"


def host_digests(paths: Iterable[Path]) -> dict[Path, bytes]:
    return {p: hashlib.sha256(p.read_bytes()).digest() for p in paths if p.is_file()}


# -- more of the host side: what the hostile corpus checks after every program --------------

# Defines, in a probe, `libc` and `call(fn, *args)`: a libc function whose -1 becomes OSError,
# and `syscall(number, *args)` for calls libc does not wrap.
# Defines, for the daemon probes, `linger()`: keep writing a marked file forever (what a
# daemon that outlived its test would leave behind), and `check()`: the follow-up test, which
# prints "alone" only when no other process is alive and no such file was written.
DAEMON_HEAD = """
import time

def linger():
    time.sleep(0.2)
    while True:
        with open("/tmp/@MARKER@-alive", "w") as handle:
            handle.write("still here")
        time.sleep(0.05)

def check():
    time.sleep(0.4)
    # Every pid up to just past this one (a daemon is older), bar PID 1 and the parent, the
    # process serving the submission, that this program may signal: the jail's keeper, root
    # outside, answers EPERM; a daemon of the program could not.
    me, parent = os.getpid(), os.getppid()
    others = []
    for pid in range(2, me + 64):
        if pid not in (me, parent):
            try:
                os.kill(pid, 0)
                others.append(pid)
            except (ProcessLookupError, PermissionError):
                pass
    if others:
        print("another process is alive")
    else:
        print("alone" if not os.path.exists("/tmp/@MARKER@-alive") else "a daemon ran on")
"""

LIBC_HEAD = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def call(fn, *args):
    ctypes.set_errno(0)
    result = fn(*args)
    if result == -1:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result

def syscall(number, *args):
    wide = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    return call(libc.syscall, ctypes.c_long(number), *wide)
"""


def marked_processes(marker: str) -> dict[int, str]:
    """pid -> name of host processes named after `marker` or carrying it in their arguments.

    The name (`Trace.stamp`) survives forks but not an exec; a program that execs passes
    the marker as an argument instead.
    """
    found: dict[int, str] = {}
    needle = marker.encode()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            name = (entry / "comm").read_text().strip()
            if name == marker or needle in (entry / "cmdline").read_bytes():
                found[int(entry.name)] = name
        except OSError:
            continue  # the process ended while we looked
    return found


def marked_files(marker: str, roots: Iterable[Path], *, depth: int = 1) -> list[Path]:
    """Paths named after `marker` under `roots`, looking `depth` levels down."""
    found: list[Path] = []
    level = [root for root in roots if root.is_dir()]
    for _ in range(depth):
        below: list[Path] = []
        for folder in level:
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue  # gone, or not ours to read
            found += [p for p in entries if p.name.startswith(marker)]
            below += [p for p in entries if p.is_dir() and not p.is_symlink()]
        level = below
    return found


def assert_no_marked_leftovers(
    marker: str, roots: Iterable[Path], *, depth: int = 1, timeout: float = 3.0
) -> None:
    """Neither a process nor a file of the program outlived its grading."""
    deadline = time.monotonic() + timeout
    while (left := marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes of {marker} outlived grading: {left}"
    files = marked_files(marker, roots, depth=depth)
    assert not files, f"files of {marker} appeared on the host: {files}"


def jail_cgroups(root: Path, parent: str) -> frozenset[Path]:
    """The per-jail cgroups made under `parent` (v2, or v1's memory, pids and cpuacct)."""
    if (root / "cgroup.controllers").is_file():
        parents = [root / parent]
    else:
        parents = [root / c / parent for c in ("memory", "pids", "cpuacct")]
    return frozenset(
        p for folder in parents if folder.is_dir() for p in folder.iterdir() if p.is_dir()
    )


def _holds_process(cgroup: Path) -> bool:
    nested = [cgroup, *(f for f in cgroup.rglob("*") if f.is_dir())]
    return any((f / "cgroup.procs").read_text().strip() for f in nested)


def assert_no_orphan_cgroups(
    root: Path, parent: str, before: frozenset[Path], *, timeout: float = 3.0
) -> None:
    """Every jail cgroup made since `before` still holds a process, in itself or a cgroup
    under it (a warm jail), or is gone.

    An empty one is a jail that ended without its cgroup being removed.
    """

    def orphans() -> list[Path]:
        empty = []
        cgroups = jail_cgroups(root, parent)
        for cgroup in cgroups - before:
            # A jail's folder holds the harness's and the program's cgroups, and on v1 it has
            # a namesake in each hierarchy: v1's cpuacct one only runs during a test (issue 12).
            namesakes = [c for c in cgroups if c.name == cgroup.name]
            try:
                if not any(_holds_process(c) for c in namesakes):
                    empty.append(cgroup)
            except OSError:
                continue  # removed while we looked
        return empty

    deadline = time.monotonic() + timeout
    while (left := orphans()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"empty jail cgroups were left behind: {left}"
