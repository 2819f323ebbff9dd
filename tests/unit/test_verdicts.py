"""Raw harness records to verdicts: limits outrank output, our faults raise."""

from __future__ import annotations

import logging
import signal
from typing import Any

import pytest

from crucible.schema import Comparator, Limits, Verdict
from workers.judge.errors import JailFailed, MachineBusy
from workers.judge.jail import say_unlike_bare
from workers.judge.verdicts import classify

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


# -- issue 13: which measure decided a time verdict, and contention is never a 0 ------------


def message(record: dict[str, Any]) -> str:
    result = classify(record, kind="stdio", expected="5\n", limits=LIMITS, comparator=Comparator())
    assert result.verdict == Verdict.time_limit
    return result.message or ""


def test_a_wall_verdict_names_the_wall_time_not_waiting_and_both_measures() -> None:
    record = raw(wall_killed=True, signal=signal.SIGKILL, exit_code=None, wall_s=7.4)
    record |= {"wall_limit_s": 5.0, "cpu_wait_s": 2.3, "own_wall_s": 5.1, "cpu_s": 0.4}
    text = message(record)
    assert text.startswith("wall time 5.10 s not waiting for a CPU, over the 5 s wall limit")
    assert "waited 2.30 s" in text and "CPU time 0.40 s of 2 s" in text


def test_a_cpu_verdict_names_the_cpu_time_and_the_wall_time() -> None:
    assert message(raw(cpu_s=2.31, wall_s=2.6)) == (
        "CPU time 2.31 s, over the 2 s CPU limit (wall 2.60 s)"
    )
    # The kernel's own limit fired while getrusage's total still read below the limit.
    text = message(raw(signal=signal.SIGXCPU, exit_code=None, cpu_s=1.96))
    assert text.startswith("stopped by the kernel at its CPU time limit (2 s")


def test_a_test_still_starved_at_its_stretched_limit_is_a_retryable_fault() -> None:
    record = raw(wall_killed=True, signal=signal.SIGKILL, exit_code=None, wall_s=15.0)
    record |= {"contended": True, "cpu_wait_s": 12.0, "own_wall_s": 3.0}
    with pytest.raises(MachineBusy) as caught:
        classify(record, kind="stdio", expected="5\n", limits=LIMITS, comparator=Comparator())
    assert caught.value.retryable and caught.value.code == "machine_busy"


@pytest.mark.parametrize("stdout", [b"5\n", b"5" * 5000])
def test_output_past_the_cap_outranks_the_time_limit_it_ran_into(stdout: bytes) -> None:
    """Past the cap a write fails at once; a program that goes on is over the cap all the
    same (stderr floods through `warnings` do)."""
    record = raw(stdout, cpu_s=2.5, stderr_over=True)
    result = classify(record, kind="stdio", expected="5\n", limits=LIMITS, comparator=Comparator())
    assert result.verdict == Verdict.output_limit


def test_what_jails_cannot_give_programs_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    ready = {"event": "ready", "unlike_bare": ["/proc and /dev/stdin"]}
    with caplog.at_level(logging.WARNING, logger="workers.judge.jail"):
        say_unlike_bare(ready)
        say_unlike_bare(ready)
        say_unlike_bare({"event": "ready", "unlike_bare": []})
    assert [r.getMessage() for r in caplog.records] == [
        "jails cannot give programs what a bare run has: /proc and /dev/stdin"
    ]
