"""Turn the harness's raw record of one test into a verdict, outside the jail.

Order matters: a limit the candidate hit outranks what it printed, memory over its limit
outranks time, and only a child that finished cleanly within every limit has its output
compared.
"""

from __future__ import annotations

import math
import signal
from collections.abc import Callable
from typing import Any

from crucible.schema import Comparator, Limits, TestResult, Verdict
from workers.judge.answers import MalformedAnswer, decode_answer
from workers.judge.comparators import compare_text, compare_values
from workers.judge.errors import JailFailed, MachineBusy
from workers.judge.inside.protocol import Record

STDERR_TAIL = 1000


# A test set's checker, given the program's output: its verdict, message and score.
Check = Callable[[bytes], tuple[Verdict, str, float | None]]


def classify(
    raw: Record,
    *,
    kind: str,
    expected: Any,
    limits: Limits,
    comparator: Comparator,
    check: Check | None = None,
) -> TestResult:
    """Verdict for one test from the harness record `raw` and the expected value; `check`,
    when the test set has a checker, decides the output instead of the comparator."""
    if "error" in raw:
        tail = str(raw.get("stderr_tail", ""))[-500:]
        detail = f"; stderr: {tail}" if tail else ""
        raise JailFailed(f"harness could not run test {raw.get('index')}: {raw['error']}{detail}")
    if raw.get("contended") and raw.get("wall_killed"):
        raise MachineBusy(
            f"test {raw.get('index')} waited {raw.get('cpu_wait_s', 0):.2f} s for a CPU and "
            f"ran {raw.get('own_wall_s', 0):.2f} s of its own in {raw.get('wall_s', 0):.2f} s"
        )
    stdout: bytes = raw["stdout"]
    stderr_tail = raw.get("stderr_tail", "")[-STDERR_TAIL:]
    base = {
        "index": raw["index"],
        "time_s": cpu_time(raw),
        "memory_kb": memory_kb(raw),
        "exit_code": raw["exit_code"],
        "signal": raw["signal"],
        "stderr_tail": stderr_tail,
    }
    verdict, message = _limit_verdict(raw, stdout, stderr_tail, limits)
    if verdict == Verdict.runtime_error and kind == "assert" and _assertion_failed(stderr_tail):
        verdict, message = Verdict.wrong_answer, "an assertion failed"
    score = None
    if verdict is None and check is not None:
        verdict, message, score = check(stdout)
    elif verdict is None:
        verdict, message = _output_verdict(
            raw, stdout, kind=kind, expected=expected, comparator=comparator
        )
    return TestResult(verdict=verdict, message=message, score=score, **base)


def stretch_s(limits: Limits) -> float:
    """How far a test's wall clock may stretch for time it spent waiting for a CPU that
    other work held (the harness's `Patience`): twice its wall limit, so a test runs at most
    three times its wall limit on a machine too busy to give it a CPU a third of the time."""
    return 2 * limits.test_wall_s


def most_wall_s(limits: Limits) -> float:
    """The longest a test can take on the wall clock, stretched: what the worker waits."""
    return limits.test_wall_s + stretch_s(limits)


def cpu_time(raw: Record) -> float:
    """The test's CPU time: every process it started, from its program cgroup (issue 12),
    and at least what the waited-for process's own usage says."""
    return float(max(raw["cpu_s"], raw.get("tree_cpu_s", 0.0)))


def memory_kb(raw: Record) -> int:
    """The test's peak memory: the largest process's RSS (pages it shares with the harness
    included) or the program cgroup's peak (every process of the test), whichever is more."""
    return int(max(raw["max_rss_kb"], raw.get("tree_memory_kb", 0)))


def _limit_verdict(
    raw: Record, stdout: bytes, stderr_tail: str, limits: Limits
) -> tuple[Verdict | None, str]:
    if len(stdout) > limits.output_kb * 1024 or raw.get("stderr_over"):
        # Writing past the cap fails at once (`workers/judge/testfiles.py`); a program that goes
        # on (warnings swallow the errors) until a time limit is over the cap all the same.
        return Verdict.output_limit, f"output over {limits.output_kb} KB"
    timed = _time_verdict(raw, limits)
    if timed is None:
        return _other_limit_verdict(raw, stderr_tail, limits)
    # Memory over its limit outranks time: a judge that enforced the limit at once would
    # have stopped the test there, and the time spent reaching it is mostly the kernel's
    # (and a VM's host's) faulting pages in, which grows with the machine's load (issue 11).
    return _over_memory(raw, limits) or timed


def _time_verdict(raw: Record, limits: Limits) -> tuple[Verdict, str] | None:
    cpu = cpu_time(raw)
    wall = float(raw.get("wall_s", 0.0))
    if raw["wall_killed"]:
        limit = raw.get("wall_limit_s", limits.test_wall_s)
        if limit < limits.test_wall_s:
            return Verdict.time_limit, f"total time limit reached (wall {wall:.2f} s)"
        waited = float(raw.get("cpu_wait_s", 0.0))
        own = float(raw.get("own_wall_s", wall - waited))
        return Verdict.time_limit, (
            f"wall time {own:.2f} s not waiting for a CPU, over the {limit:g} s wall limit "
            f"(wall {wall:.2f} s, waited {waited:.2f} s; "
            f"CPU time {cpu:.2f} s of {limits.time_s:g} s)"
        )
    if raw.get("cpu_killed"):
        return Verdict.time_limit, (
            f"CPU time of the test's processes {cpu:.2f} s, over the {limits.time_s:g} s "
            f"CPU limit (wall {wall:.2f} s)"
        )
    if cpu > limits.time_s:
        return Verdict.time_limit, (
            f"CPU time {cpu:.2f} s, over the {limits.time_s:g} s CPU limit (wall {wall:.2f} s)"
        )
    if raw["signal"] == signal.SIGXCPU:
        return Verdict.time_limit, (
            f"stopped by the kernel at its CPU time limit ({math.ceil(limits.time_s)} s, "
            f"for the {limits.time_s:g} s CPU limit; wall {wall:.2f} s)"
        )
    return None


def _over_memory(raw: Record, limits: Limits) -> tuple[Verdict, str] | None:
    if raw.get("oom_kills") or (raw["signal"] == signal.SIGKILL and raw.get("oom_killed")):
        # Any process of the test, not only the one the harness waited for (issue 12).
        return Verdict.memory_limit, f"killed by the memory limit of {limits.memory_mb} MB"
    peak = memory_kb(raw)
    if peak > limits.memory_mb * 1024:
        return Verdict.memory_limit, f"peak memory {peak // 1024} MB over {limits.memory_mb} MB"
    return None


def _other_limit_verdict(  # noqa: PLR0911 - one rule per line reads best
    raw: Record, stderr_tail: str, limits: Limits
) -> tuple[Verdict | None, str]:
    sig = raw["signal"]
    if sig == signal.SIGXFSZ:  # raised by the program itself: output past the cap is above
        return Verdict.output_limit, f"output over {limits.output_kb} KB"
    if sig == signal.SIGKILL:
        # We send SIGKILL only on wall time (handled above).  The other senders are the
        # cgroup's OOM killer and the program itself; the judge tells them apart by the
        # cgroup's OOM count (`oom_killed`) and, where it could not, assumes the limit.
        if raw.get("oom_killed") is False:
            return Verdict.runtime_error, "killed by SIGKILL, not by the memory limit"
        return Verdict.memory_limit, f"killed by the memory limit of {limits.memory_mb} MB"
    over = _over_memory(raw, limits)
    if over is not None:
        return over
    if sig is not None:
        return Verdict.runtime_error, f"killed by signal {_signal_name(sig)}"
    if raw["exit_code"] != 0:
        if "MemoryError" in stderr_tail:
            return Verdict.memory_limit, "MemoryError"
        lines = stderr_tail.strip().splitlines()
        last = f": {lines[-1][:200]}" if lines else ""
        return Verdict.runtime_error, f"exit code {raw['exit_code']}{last}"
    return None, ""


def _output_verdict(
    raw: Record, stdout: bytes, *, kind: str, expected: Any, comparator: Comparator
) -> tuple[Verdict, str]:
    if kind == "stdio":
        outcome = compare_text(comparator, expected, stdout)
    elif kind == "call":
        # The program's own bytes: decoded here with bounds, never trusted to be JSON.
        result: bytes = raw.get("result", b"")
        if not result:
            return Verdict.runtime_error, "the program exited before the function returned"
        try:
            value = decode_answer(result)
        except MalformedAnswer as exc:
            return Verdict.runtime_error, str(exc)
        outcome = compare_values(comparator, expected, value)
    else:
        if raw.get("program_gone"):
            return Verdict.runtime_error, "the program exited during the test"
        if not raw.get("completed"):
            return Verdict.runtime_error, "the test did not run to completion"
        return Verdict.passed, ""
    return (Verdict.passed, "") if outcome.equal else (Verdict.wrong_answer, outcome.detail)


def _assertion_failed(stderr_tail: str) -> bool:
    lines = stderr_tail.strip().splitlines()
    return bool(lines) and lines[-1].startswith("AssertionError")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
