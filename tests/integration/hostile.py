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
