"""IOI-style communication tasks through the real judge: communication_cases/relay is a
task of our own (a manager and two runs of the program at once, each in its own jail,
joined to the manager by pipes; two subtasks), and its programs score what EXPECTED says,
those that fail, stall or look for the secret elsewhere included (their comments say how)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crucible.schema import (
    Checker,
    CheckerLimits,
    CheckerProtocol,
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

pytestmark = pytest.mark.integration

TASK = Path(__file__).parent / "communication_cases" / "relay"
# Each program's total score (of 100) and the verdict of its first failing test.
EXPECTED: dict[str, tuple[float, Verdict]] = {
    "correct.cpp": (100, Verdict.passed),
    "relay.py": (100, Verdict.passed),
    "long.cpp": (50, Verdict.wrong_answer),
    "ten_bits.cpp": (40, Verdict.wrong_answer),
    "silent.cpp": (0, Verdict.wrong_answer),
    "peek.cpp": (0, Verdict.wrong_answer),
    "sidechannel.cpp": (0, Verdict.wrong_answer),
    "flood.cpp": (0, Verdict.wrong_answer),
    "bob_crashes.cpp": (0, Verdict.runtime_error),
    "bob_spins.cpp": (0, Verdict.time_limit),
    "shared_cpu.cpp": (0, Verdict.time_limit),
}


def manager(processes: int = 2) -> Checker:
    return Checker(
        protocol=CheckerProtocol.manager,
        processes=processes,
        source=(TASK / "manager.cpp").read_text(),
        limits=CheckerLimits(time_s=5),
    )


def relay(*, stub: bool = False, **fields: object) -> StdioTestSet:
    data = json.loads((TASK / "tests.json").read_text())
    grader = None
    if stub:
        grader = Grader(files={name: (TASK / name).read_text() for name in ("stub.cpp", "task.h")})
    return StdioTestSet(
        cases=[StdioCase(**case) for case in data["cases"]],
        subtasks=[Subtask(**part) for part in data["subtasks"]],
        checker=manager(),
        grader=grader,
        **fields,  # type: ignore[arg-type]
    )


def language_of(name: str) -> Language:
    return Language.python if name.endswith(".py") else Language.cpp


@pytest.fixture(scope="module")
def testset() -> StdioTestSet:
    return relay()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_program_scores_what_it_deserves(judge: Judge, testset: StdioTestSet, name: str) -> None:
    total, verdict = EXPECTED[name]
    submission = Submission(
        language=language_of(name),
        code=(TASK / "programs" / name).read_text(),
        tests=testset,
        limits=Limits(time_s=1),
        # Every test of a passing or partly scoring program; the first failure of the rest.
        policy=Policy(stop_on_first_failure=total == 0),
    )
    result = judge.grade(submission)
    shown = [(t.index, t.verdict.value, t.score, t.message[:100]) for t in result.tests]
    assert result.status == "graded", result.error
    assert result.verdict == verdict, shown
    assert result.score is not None and result.score.total == total, (result.score, shown)
    assert result.reward == (1 if total == 100 else 0)


def test_partial_credit_is_the_managers_score(judge: Judge, testset: StdioTestSet) -> None:
    code = (TASK / "programs" / "long.cpp").read_text()
    submission = Submission(
        language=Language.cpp, code=code, tests=testset, policy=Policy(stop_on_first_failure=False)
    )
    result = judge.grade(submission)
    assert [t.score for t in result.tests] == [0.5] * 6
    assert all("more than 20 bits" in t.message for t in result.tests)
    assert result.pass_fraction == 0


def test_the_runs_cpu_time_is_summed(judge: Judge, testset: StdioTestSet) -> None:
    code = (TASK / "programs" / "shared_cpu.cpp").read_text()
    alone = Submission(language=Language.cpp, code=code, tests=testset, limits=Limits(time_s=2))
    result = judge.grade(alone)
    assert result.reward == 1, [t.message for t in result.tests]  # 1.4 s together: within 2
    over = judge.grade(alone.model_copy(update={"limits": Limits(time_s=1)}))
    assert over.tests[0].verdict == Verdict.time_limit
    assert "together" in over.tests[0].message


def test_a_stub_calls_the_contestant_with_its_globals_made(judge: Judge) -> None:
    code = (TASK / "stub_programs" / "table.cpp").read_text()
    result = judge.grade(Submission(language=Language.cpp, code=code, tests=relay(stub=True)))
    assert result.reward == 1, [(t.verdict, t.message) for t in result.tests]
    assert result.score is not None and result.score.total == 100


def test_a_contestant_the_stub_does_not_fit_is_a_compile_error(judge: Judge) -> None:
    code = (TASK / "stub_programs" / "no_bob.cpp").read_text()
    result = judge.grade(Submission(language=Language.cpp, code=code, tests=relay(stub=True)))
    assert result.status == "graded" and result.verdict == Verdict.compile_error
    assert "bob" in result.tests[0].message


def test_a_manager_that_fails_is_an_error_never_a_zero(judge: Judge) -> None:
    broken = manager().model_copy(
        update={"source": "#include <cstdlib>\nint main() { std::abort(); }\n"}
    )
    tests = relay().model_copy(update={"checker": broken})
    # Runs that compute before they read: their outputs are still open when it fails.
    code = (TASK / "programs" / "shared_cpu.cpp").read_text()
    submission = Submission(language=Language.cpp, code=code, tests=tests, limits=Limits(time_s=2))
    result = judge.grade_or_error(submission)
    assert result.status == "error" and result.reward is None, result
    assert result.error is not None and result.error.code == "checker_failed"


def test_one_run_talks_like_an_interactor(judge: Judge) -> None:
    """processes: 1 gives the program no index, as CMS does: a manager for one run."""
    source = """
#include <cstdio>
int main(int argc, char **argv) {
    long long x; if (std::scanf("%lld", &x) != 1) return 1;
    std::FILE *from = std::fopen(argv[1], "r"), *to = std::fopen(argv[2], "w");
    std::fprintf(to, "%lld\\n", x); std::fclose(to);
    long long back = -1; int got = std::fscanf(from, "%lld", &back);
    std::printf(got == 1 && back == 2 * x ? "1\\n" : "0\\n");
    std::fprintf(stderr, "sent %lld, got %lld\\n", x, back);
}
"""
    one = Checker(protocol=CheckerProtocol.manager, source=source)
    tests = StdioTestSet(cases=[StdioCase(input="21\n", output="")], checker=one)
    double = "import sys\nassert len(sys.argv) == 1\nprint(2 * int(input()))\n"
    result = judge.grade(Submission(code=double, tests=tests))
    assert result.reward == 1, [t.message for t in result.tests]
    wrong = judge.grade(Submission(code="print(int(input()))\n", tests=tests))
    assert wrong.reward == 0 and "got 21" in wrong.tests[0].message


def test_a_manager_in_python(judge: Judge) -> None:
    """A Python manager (forked from its jail's harness, SIGPIPE ignored as CPython does):
    run 0 adds one, run 1 doubles what the manager relays."""
    source = (
        "import sys\n"
        "x = int(input())\n"
        "runs = [(open(sys.argv[i]), open(sys.argv[i + 1], 'w')) for i in (1, 3)]\n"
        "print(x, file=runs[0][1], flush=True)\n"
        "print(int(runs[0][0].readline()), file=runs[1][1], flush=True)\n"
        "got = int(runs[1][0].readline())\n"
        "print(1 if got == 2 * (x + 1) else 0)\n"
        "print('run 1 said', got, file=sys.stderr)\n"
    )
    manager = Checker(
        protocol=CheckerProtocol.manager, processes=2, language=Language.python, source=source
    )
    tests = StdioTestSet(cases=[StdioCase(input="20\n", output="")], checker=manager)
    code = "import sys\nx = int(input())\nprint(x + 1 if sys.argv[1] == '0' else 2 * x)\n"
    result = judge.grade(Submission(code=code, tests=tests))
    assert result.reward == 1 and result.tests[0].message == "run 1 said 42", result.tests
    wrong = judge.grade(Submission(code="print(int(input()))\n", tests=tests))
    assert wrong.reward == 0 and wrong.tests[0].message == "run 1 said 20", wrong.tests
