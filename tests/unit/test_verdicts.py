"""Raw harness records to verdicts: limits outrank output, our faults raise."""

from __future__ import annotations

import signal
from typing import Any

import pytest

from crucible.schema import Comparator, Limits, Verdict
from workers.errors import JailFailed
from workers.verdicts import classify

LIMITS = Limits(time_s=2, memory_mb=256, output_kb=4)


def raw(stdout: bytes = b"5\n", **fields: Any) -> dict[str, Any]:
    record = {
        "index": 0,
        "stdout": stdout,
        "stderr_tail": "",
        "cpu_s": 0.01,
        "wall_s": 0.02,
        "max_rss_kb": 9000,
        "exit_code": 0,
        "signal": None,
        "wall_killed": False,
    }
    return record | fields


def verdict(record: dict[str, Any], kind: str = "stdio", expected: Any = "5\n") -> Verdict:
    return classify(
        record, kind=kind, expected=expected, limits=LIMITS, comparator=Comparator()
    ).verdict


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (raw(), Verdict.passed),
        (raw(b"6\n"), Verdict.wrong_answer),
        (raw(wall_killed=True, signal=signal.SIGKILL, exit_code=None), Verdict.time_limit),
        (raw(signal=signal.SIGXCPU, exit_code=None), Verdict.time_limit),
        (raw(cpu_s=2.5), Verdict.time_limit),
        (raw(signal=signal.SIGXFSZ, exit_code=None), Verdict.output_limit),
        (raw(b"5" * 5000), Verdict.output_limit),
        (raw(signal=signal.SIGKILL, exit_code=None), Verdict.memory_limit),
        (raw(signal=signal.SIGKILL, exit_code=None, oom_killed=True), Verdict.memory_limit),
        # A SIGKILL the cgroup's OOM count does not explain came from the program.
        (raw(signal=signal.SIGKILL, exit_code=None, oom_killed=False), Verdict.runtime_error),
        (raw(max_rss_kb=300 * 1024), Verdict.memory_limit),
        (raw(exit_code=1, stderr_tail="Traceback\nMemoryError\n"), Verdict.memory_limit),
        (raw(signal=signal.SIGSEGV, exit_code=None), Verdict.runtime_error),
        (raw(exit_code=3), Verdict.runtime_error),
        # A correct answer with a limit hit is still the limit's verdict.
        (raw(b"5\n", cpu_s=3.0), Verdict.time_limit),
    ],
)
def test_stdio_verdicts(record: dict[str, Any], expected: Verdict) -> None:
    assert verdict(record) == expected


# The record of tests/integration/hostile_corpus/memory_numpy_ones on a loaded machine, under
# its limits: its 8 GB array went far over the memory limit, but faulting the pages in took
# about a second of system time (the VM's host backs guest memory lazily), so SIGXCPU came
# before the OOM killer (issue 11).
NUMPY_ONES_LIMITS = Limits(time_s=1, wall_time_s=2, memory_mb=64)
NUMPY_ONES_UNDER_LOAD = raw(
    b"", signal=signal.SIGXCPU, exit_code=None, cpu_s=0.96, max_rss_kb=265_652
)


def test_the_numpy_bomb_stopped_for_cpu_is_over_its_memory_limit() -> None:
    for record in (
        NUMPY_ONES_UNDER_LOAD,
        NUMPY_ONES_UNDER_LOAD | {"signal": None, "cpu_s": 1.2},
        NUMPY_ONES_UNDER_LOAD | {"signal": signal.SIGKILL, "wall_killed": True},
    ):
        result = classify(
            record, kind="stdio", expected="1\n", limits=NUMPY_ONES_LIMITS, comparator=Comparator()
        )
        assert (result.verdict, result.message) == (
            Verdict.memory_limit,
            "peak memory 259 MB over 64 MB",
        )


@pytest.mark.parametrize(
    "record",
    [
        raw(signal=signal.SIGXCPU, exit_code=None, max_rss_kb=300 * 1024),
        raw(wall_killed=True, signal=signal.SIGKILL, exit_code=None, max_rss_kb=300 * 1024),
        raw(cpu_s=2.5, signal=signal.SIGKILL, exit_code=None, oom_killed=True),
    ],
)
def test_memory_over_its_limit_outranks_time(record: dict[str, Any]) -> None:
    assert verdict(record) == Verdict.memory_limit


def test_time_within_the_memory_limit_stays_a_time_limit() -> None:
    within = {"max_rss_kb": 200 * 1024}
    assert verdict(raw(signal=signal.SIGXCPU, exit_code=None) | within) == Verdict.time_limit
    killed = raw(wall_killed=True, signal=signal.SIGKILL, exit_code=None, oom_killed=None)
    assert verdict(killed | within) == Verdict.time_limit
    # The program's own SIGKILL after its CPU time ran out is still the time it took.
    own = raw(cpu_s=2.5, signal=signal.SIGKILL, exit_code=None, oom_killed=False)
    assert verdict(own) == Verdict.time_limit


def result(data: bytes) -> dict[str, Any]:
    """A call test's record whose result channel holds `data`."""
    return raw(b"", result=data)


def test_call_verdicts() -> None:
    assert verdict(result(b'{"value":[1,2]}'), "call", [1, 2]) == Verdict.passed
    assert verdict(result(b'{"value":[2,1]}'), "call", [1, 2]) == Verdict.wrong_answer
    assert verdict(raw(b""), "call", [1, 2]) == Verdict.runtime_error
    assert verdict(result(b""), "call", [1, 2]) == Verdict.runtime_error


DEEP = 50_000


@pytest.mark.parametrize(
    "data",
    [
        # What a program may write to its result channel, bypassing the harness (issue 12).
        b'{"value":' + b"[" * DEEP + b"]" * DEEP + b"}",
        b'{"value":' + b"[" * 5_000_000 + b"}",
        b'{"value":' + b"{" * DEEP + b"}",
        b'{"value":' + b"9" * 5000 + b"}",
        b'{"value":1',
        b'{"value":"\xff"}',
        b'{"value":1,"extra":2}',
        b"[1]",
        b"\x00" * 100,
    ],
    ids=["deep", "over-size", "objects", "long-int", "cut", "not-utf8", "extra", "shape", "nul"],
)
def test_a_malformed_call_result_is_the_programs_runtime_error(data: bytes) -> None:
    # Never an exception of ours: the program's 0 must not become a judge fault.
    assert verdict(result(data), "call", [[1]]) == Verdict.runtime_error


def test_assert_verdicts_need_the_completion_signal() -> None:
    assert verdict(raw(b"", completed=True), "assert", None) == Verdict.passed
    assert verdict(raw(b""), "assert", None) == Verdict.runtime_error
    failed = raw(b"", exit_code=1, stderr_tail="Traceback...\nAssertionError\n")
    assert verdict(failed, "assert", None) == Verdict.wrong_answer


def test_a_harness_error_is_our_fault_not_a_verdict() -> None:
    with pytest.raises(JailFailed):
        verdict({"index": 0, "error": "program not loaded"})
