"""IOI-style batch tasks through the real judge: ioi_cases/maxsum is a task of our own (a
grader with main, a header the contestant implements, three subtasks), and its programs
score what expected.json says, those that try to get round the grader included (their
comments say how)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crucible.schema import (
    Grader,
    Language,
    Limits,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
    Subtask,
    Verdict,
)
from workers.judge.grade import Judge

TASK = Path(__file__).parent / "ioi_cases" / "maxsum"
EXPECTED: dict[str, float] = json.loads((TASK / "expected.json").read_text())


def maxsum(**fields: object) -> StdioTestSet:
    data = json.loads((TASK / "tests.json").read_text())
    grader = Grader(files={name: (TASK / name).read_text() for name in ("grader.cpp", "task.h")})
    return StdioTestSet(
        cases=[StdioCase(**case) for case in data["cases"]],
        subtasks=[Subtask(**part) for part in data["subtasks"]],
        grader=grader,
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def testset() -> StdioTestSet:
    return maxsum()


@pytest.mark.parametrize("program", sorted(EXPECTED))
def test_program_scores_what_it_deserves(judge: Judge, testset: StdioTestSet, program: str) -> None:
    code = (TASK / "programs" / program).read_text()
    submission = Submission(
        language=Language.cpp, code=code, tests=testset, limits=Limits(time_s=2)
    )
    result = judge.grade(submission)
    shown = [(t.index, t.verdict.value, t.message[:80]) for t in result.tests]
    assert result.score is not None, shown
    assert result.score.total == EXPECTED[program], (result.score, shown, result.compile)
    assert result.reward == (1 if EXPECTED[program] == 100 else 0)
    assert result.score.max == 100
    if program == "ifunc.cpp":
        assert result.verdict == Verdict.compile_error
        assert "IFUNC" in result.tests[0].message


def test_stop_on_first_failure_stops_within_a_subtask(judge: Judge, testset: StdioTestSet) -> None:
    code = (TASK / "programs" / "positive_only.cpp").read_text()
    stop = Submission(language=Language.cpp, code=code, tests=testset)
    every = stop.model_copy(update={"policy": Policy(stop_on_first_failure=False)})
    stopped, full = judge.grade(stop), judge.grade(every)
    assert stopped.score == full.score
    assert stopped.score is not None and stopped.score.total == 20
    verdicts = [t.verdict for t in stopped.tests]
    assert verdicts[:3] == [Verdict.passed] * 3  # subtask 1 all run
    assert verdicts[3] == Verdict.wrong_answer
    # tests 4-8 are only in subtasks already at 0: skipped
    assert set(verdicts[4:]) == {Verdict.skipped}, verdicts


def test_a_program_the_grader_does_not_fit_is_a_compile_error(
    judge: Judge, testset: StdioTestSet
) -> None:
    code = "long long solve(int n) { return n; }\n"
    result = judge.grade(Submission(language=Language.cpp, code=code, tests=testset))
    assert result.verdict == Verdict.compile_error
    assert result.score is not None and result.score.total == 0


def test_the_child_cannot_reach_the_graders_descriptors(
    judge: Judge, testset: StdioTestSet
) -> None:
    code = (TASK / "programs" / "parent_stdout.cpp").read_text()
    submission = Submission(
        language=Language.cpp,
        code=code,
        tests=testset,
        policy=Policy(stop_on_first_failure=False),
    )
    result = judge.grade(submission)
    tails = [t.stderr_tail for t in result.tests]
    assert all("the grader's stdout: " in tail for tail in tails), tails
    assert not any("reached" in tail for tail in tails), tails


TASK_C = Path(__file__).parent / "ioi_cases" / "maxsum_c"


@pytest.mark.parametrize(("program", "total"), [("full.c", 100), ("own_output.c", 0)])
def test_a_c_grader_calls_a_c_program(judge: Judge, program: str, total: float) -> None:
    """The same task with a grader written in C (crucible_call): a C program is compiled
    with it and scores as it deserves."""
    data = json.loads((TASK / "tests.json").read_text())
    names = ("grader.c", "task.h")
    tests = StdioTestSet(
        cases=[StdioCase(**case) for case in data["cases"]],
        subtasks=[Subtask(**part) for part in data["subtasks"]],
        grader=Grader(files={name: (TASK_C / name).read_text() for name in names}),
    )
    code = (TASK_C / "programs" / program).read_text()
    result = judge.grade(Submission(language=Language.c, code=code, tests=tests))
    shown = [(t.index, t.verdict.value, t.message[:80]) for t in result.tests]
    assert result.score is not None and result.score.total == total, (shown, result.compile)
    assert result.reward == (1 if total == 100 else 0)
