"""The verdict rule of interactive tests (`workers/judge/interactive.py`, `decide`): which of
the program's own result and its interactor's decides, by how the two ended."""

from __future__ import annotations

import pytest

from crucible import schema
from crucible.schema import Verdict
from workers.judge.checkers import Checked
from workers.judge.errors import CheckerFailed
from workers.judge.interactive import CLOSED_FIRST_S, SAME_END_S, Order, _as_one, decide

ACCEPTED = Checked(Verdict.passed, "found it")
REJECTED = Checked(Verdict.wrong_answer, "too many questions")
FAULT = CheckerFailed("the checker was killed by signal 6")
CLEAN = schema.TestResult(index=0, verdict=Verdict.passed, exit_code=0)
CRASHED = schema.TestResult(
    index=0, verdict=Verdict.runtime_error, message="exit code 3", exit_code=3
)
SLOW = schema.TestResult(index=0, verdict=Verdict.time_limit, message="wall time 2.0 s")
# program_closed: the program's output was closed when the interactor ended.
PROGRAM_FIRST = Order(program_closed=True, interactor_first=False)
INTERACTOR_FIRST = Order(program_closed=False, interactor_first=True)
CLOSED_THEN_STAYED = Order(program_closed=True, interactor_first=True)


@pytest.mark.parametrize("order", [PROGRAM_FIRST, INTERACTOR_FIRST, CLOSED_THEN_STAYED])
def test_accepted_and_exit_0_passes(order: Order) -> None:
    assert decide(CLEAN, ACCEPTED, order).verdict == Verdict.passed


@pytest.mark.parametrize("order", [PROGRAM_FIRST, INTERACTOR_FIRST])
def test_rejected_is_a_wrong_answer_with_its_message(order: Order) -> None:
    result = decide(CLEAN, REJECTED, order)
    assert result.verdict == Verdict.wrong_answer and result.message == "too many questions"


@pytest.mark.parametrize("program", [CRASHED, SLOW])
@pytest.mark.parametrize("order", [PROGRAM_FIRST, INTERACTOR_FIRST, CLOSED_THEN_STAYED])
def test_a_program_that_fails_after_acceptance_keeps_its_verdict(
    program: schema.TestResult, order: Order
) -> None:
    assert decide(program, ACCEPTED, order).verdict == program.verdict


@pytest.mark.parametrize("program", [CRASHED, SLOW])
def test_a_program_that_fails_first_keeps_its_verdict(program: schema.TestResult) -> None:
    result = decide(program, REJECTED, PROGRAM_FIRST)
    assert result.verdict == program.verdict
    assert result.message.startswith(program.message) and "too many questions" in result.message


@pytest.mark.parametrize("program", [CRASHED, SLOW])
def test_a_program_that_fails_after_a_rejection_is_a_wrong_answer(
    program: schema.TestResult,
) -> None:
    result = decide(program, REJECTED, INTERACTOR_FIRST)
    assert result.verdict == Verdict.wrong_answer and result.message == "too many questions"
    assert result.exit_code == program.exit_code  # the program's own facts stay


def test_an_interactor_fault_while_the_program_talks_is_the_judges() -> None:
    for program in (CLEAN, CRASHED, SLOW):
        with pytest.raises(CheckerFailed):
            decide(program, FAULT, INTERACTOR_FIRST)


@pytest.mark.parametrize("order", [PROGRAM_FIRST, CLOSED_THEN_STAYED])
def test_an_interactor_fault_after_the_program_closed_counts_against_it(order: Order) -> None:
    """A program cannot turn its 0 into an error by closing early: with a fragile interactor
    that crashes at the end of its input, the program gets its own verdict, or a wrong
    answer when it exited 0."""
    assert decide(CRASHED, FAULT, order).verdict == Verdict.runtime_error
    assert decide(SLOW, FAULT, order).verdict == Verdict.time_limit
    result = decide(CLEAN, FAULT, order)
    assert result.verdict == Verdict.wrong_answer and "closed its output" in result.message


def test_ends_seen_close_together_are_the_programs() -> None:
    program = {"event": "result", "ended_at": 10.0, "peer_closed": False}
    close = {"event": "result", "ended_at": 10.0 - SAME_END_S / 2, "peer_closed": True}
    clearly = {"event": "result", "ended_at": 10.0 - 2 * SAME_END_S, "peer_closed": False}
    assert Order.seen(program, close) == Order(program_closed=True, interactor_first=False)  # type: ignore[arg-type]
    assert Order.seen(program, clearly) == INTERACTOR_FIRST  # type: ignore[arg-type]


def test_a_program_whose_output_closed_first_went_first_if_its_end_came_soon() -> None:
    """The interactor's harness saw the program's output close in a wake-up before its own
    end: the program's end, seen later by its harness under load, is still taken as
    first, unless it came CLOSED_FIRST_S later (it hung up and ran on)."""
    their = {"event": "result", "ended_at": 10.0, "peer_closed": True, "peer_closed_at": 9.99}
    soon = {"event": "result", "ended_at": 10.0 + CLOSED_FIRST_S / 2, "peer_closed": True}
    late = {"event": "result", "ended_at": 10.0 + 2 * CLOSED_FIRST_S, "peer_closed": True}
    assert Order.seen(soon, their) == PROGRAM_FIRST  # type: ignore[arg-type]
    assert Order.seen(late, their) == CLOSED_THEN_STAYED  # type: ignore[arg-type]
    unseen = {key: value for key, value in their.items() if key != "peer_closed_at"}
    assert Order.seen(soon, unseen) == CLOSED_THEN_STAYED  # type: ignore[arg-type]
    crashed = decide(CRASHED, REJECTED, Order.seen(soon, their))  # type: ignore[arg-type]
    assert crashed.verdict == Verdict.runtime_error


def test_a_program_that_died_writing_to_a_gone_interactor_is_a_wrong_answer() -> None:
    """SIGPIPE (or Python's BrokenPipeError) proves the interactor had ended, however close
    the two ends were seen."""
    same_time = Order(program_closed=True, interactor_first=False)
    piped = schema.TestResult(index=0, verdict=Verdict.runtime_error, signal=13)
    assert decide(piped, REJECTED, same_time).verdict == Verdict.wrong_answer
    tail = "Traceback (most recent call last):\nBrokenPipeError: [Errno 32] Broken pipe\n"
    broken = schema.TestResult(
        index=0, verdict=Verdict.runtime_error, exit_code=1, stderr_tail=tail
    )
    assert decide(broken, REJECTED, same_time).verdict == Verdict.wrong_answer
    assert decide(CRASHED, REJECTED, same_time).verdict == Verdict.runtime_error


def test_a_program_still_talking_when_the_interactor_rejected_it_is_a_wrong_answer() -> None:
    """Its output was open when the interactor ended: the rejection came first, however
    soon after the program crashed (a JVM throwing at the end of its input)."""
    together = Order(program_closed=False, interactor_first=False)
    assert decide(CRASHED, REJECTED, together).verdict == Verdict.wrong_answer


# -- a communication task's runs, taken as one program (`_as_one`) ----------------------------

LIMITS = schema.Limits(time_s=1)


def run(verdict: Verdict = Verdict.passed, **fields: object) -> schema.TestResult:
    return schema.TestResult(index=0, verdict=verdict, exit_code=0, **fields)  # type: ignore[arg-type]


def test_one_run_is_the_program() -> None:
    raw = {"ended_at": 5.0}
    assert _as_one([CRASHED], [raw], LIMITS) == (CRASHED, raw)


def test_the_first_run_that_failed_decides_named() -> None:
    runs = [run(), SLOW, CRASHED]
    raws = [{"ended_at": 1.0}, {"ended_at": 2.0}, {"ended_at": 3.0}]
    program, raw = _as_one(runs, raws, LIMITS)
    assert program.verdict == Verdict.time_limit and program.message.startswith("run 1: ")
    assert raw is raws[1]


def test_runs_that_pass_are_summed_and_held_to_the_limit_together() -> None:
    raws = [{"ended_at": 2.0}, {"ended_at": 1.0}]
    program, raw = _as_one(
        [run(time_s=0.4, memory_kb=10), run(time_s=0.5, memory_kb=30)], raws, LIMITS
    )
    assert program.verdict == Verdict.passed
    assert (program.time_s, program.memory_kb) == (0.9, 30)
    assert raw is raws[0]  # the run that ended last
    over, _ = _as_one([run(time_s=0.6), run(time_s=0.6)], raws, LIMITS)
    assert over.verdict == Verdict.time_limit and "together" in over.message
