"""Interactive problems through the real judge: the program and an interactor of the test
set's, each in its own jail, joined by pipes (interactive_cases/ says what each file is).

Every program under binsearch/ gets its folder's verdict from both the Kattis and the
testlib interactor; a program that snoops for the answer or signals everything it can see
still gets a 0; and against a fragile interactor (one that crashes where it should reject)
a program that closes early or crashes keeps its 0, while the interactor failing as the
program still talks is the judge's fault, never a 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crucible.datasets import language_of
from crucible.schema import (
    Checker,
    CheckerProtocol,
    Language,
    Limits,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    Verdict,
)
from workers.judge.grade import Judge

CASES = Path(__file__).parent / "interactive_cases" / "binsearch"
LIMITS = Limits(time_s=1, wall_time_s=1.5)
PROGRAMS = sorted(p for p in CASES.glob("*/*") if language_of(p) is not None)


def interactor(name: str) -> Checker:
    """One of binsearch's interactors, with game.h beside it."""
    protocol = CheckerProtocol.testlib if name == "testlib" else CheckerProtocol.kattis
    return Checker(
        protocol=protocol,
        source=(CASES / f"{name}.cpp").read_text(),
        files={"game.h": (CASES / "game.h").read_text()},
        interactive=True,
    )


def binsearch(name: str) -> StdioTestSet:
    cases = [StdioCase(**case) for case in json.loads((CASES / "tests.json").read_text())]
    return StdioTestSet(cases=cases, checker=interactor(name))


def grade(judge: Judge, code: str, tests: StdioTestSet, language: Language) -> RewardResult:
    submission = Submission(language=language, code=code, tests=tests, limits=LIMITS)
    return judge.grade_or_error(submission)


def describe(result: RewardResult) -> str:
    shown = [(t.verdict.value, t.message[:120]) for t in result.tests]
    return f"{result.status} {result.reward} {result.error} {shown}"


def test_every_kind_of_program_is_here() -> None:
    kinds = {path.parent.name for path in PROGRAMS}
    assert kinds == {"passed", "wrong_answer", "time_limit", "runtime_error"}


@pytest.mark.parametrize("name", ["kattis", "testlib"])
def test_interactive_case(judge: Judge, name: str) -> None:
    tests = binsearch(name)
    for path in PROGRAMS:
        language = language_of(path)
        assert language is not None
        result = grade(judge, path.read_text(), tests, language)
        shown = f"{name}: {path.parent.name}/{path.name}: {describe(result)}"
        print(shown)
        assert result.status == "graded", shown
        assert result.comparator is not None
        assert result.comparator.name == f"checker:{name}", shown
        if path.parent.name == "passed":
            assert result.reward == 1 and len(result.tests) == 4, shown
            continue
        assert result.reward == 0 and result.verdict == path.parent.name, shown


# Looks for the answer everywhere it could be (its own descriptors, every process's, the
# feedback folder), signals every process it can see, then answers what it found (or 1).
SNOOP = r"""
import glob, os, signal
found = ""
for path in glob.glob("/proc/*/fd/*") + glob.glob("/dev/fd/*") + glob.glob("/tmp/*/*"):
    try:
        with open(path) as handle:
            found += handle.read(100)
    except OSError:
        pass
for pid in range(1, 200):
    if pid != os.getpid():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
numbers = [int(word) for word in found.split() if word.isdigit()]
print("!", numbers[-1] if numbers else 1, flush=True)
"""


@pytest.mark.parametrize("name", ["kattis", "testlib"])
def test_a_snooping_program_finds_nothing_and_kills_nothing_of_ours(
    judge: Judge, name: str
) -> None:
    tests = binsearch(name)
    result = grade(judge, SNOOP, tests, Language.python)
    assert result.status == "graded" and result.reward == 0, describe(result)
    # The jail the next submission gets is as good as new.
    right = (CASES / "passed" / "search.py").read_text()
    assert grade(judge, right, tests, Language.python).reward == 1


# Talks nonsense, then stays, output open, without reading: the interactor fails while the
# program is still there.
NONSENSE = "import time\ninput()\nprint('hello', flush=True)\ntime.sleep(1)\n"


def test_a_fragile_interactor_never_turns_a_program_failure_into_an_error(
    judge: Judge,
) -> None:
    tests = binsearch("fragile")
    outcomes = {
        "search.py": Verdict.passed,
        "closes_early.py": Verdict.wrong_answer,
        "crash.py": Verdict.runtime_error,
        "stops_reading.py": Verdict.time_limit,
    }
    for program, verdict in outcomes.items():
        path = next(p for p in PROGRAMS if p.name == program)
        result = grade(judge, path.read_text(), tests, Language.python)
        shown = f"fragile: {program}: {describe(result)}"
        print(shown)
        assert result.status == "graded" and result.verdict == verdict, shown
    result = grade(judge, NONSENSE, tests, Language.python)
    assert result.status == "error" and result.reward is None, describe(result)
    assert result.error is not None and result.error.code == "checker_failed"


def test_an_interactor_that_does_not_build_is_a_bad_test_set(judge: Judge) -> None:
    broken = Checker(protocol="kattis", source="int main( {", interactive=True)
    tests = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")], checker=broken)
    result = grade(judge, "print(1)\n", tests, Language.python)
    assert result.status == "error" and result.error is not None
    assert result.error.code == "bad_testset"


# A testlib interactor's checker (Codeforces' interactive problems): testlib.cpp writes the
# hidden number to TOUT, which the checker reads as the program's output.
TOUT_CHECKERS = {
    "agrees": (
        "#include <cstdio>\nint main(int argc, char** argv) {\n"
        '    std::FILE* tout = std::fopen(argv[2], "r");\n'
        '    std::FILE* answer = std::fopen(argv[3], "r");\n'
        "    long written = -1, hidden = -2;\n"
        '    if (!tout || !answer || std::fscanf(answer, "%ld", &hidden) != 1) return 3;\n'
        '    if (std::fscanf(tout, "%ld", &written) != 1 || written != hidden) {\n'
        '        std::fprintf(stderr, "TOUT says %ld, not %ld\\n", written, hidden); return 1;\n'
        "    }\n"
        '    std::fprintf(stderr, "TOUT agrees: %ld\\n", written);\n}\n'
    ),
    "refuses": (
        '#include <cstdio>\nint main() { std::fputs("never satisfied\\n", stderr); return 1; }\n'
    ),
    "fails": '#include <cstdio>\nint main() { std::fputs("FAIL broken\\n", stderr); return 3; }\n',
}


def with_tout_checker(name: str) -> StdioTestSet:
    checker = Checker(protocol=CheckerProtocol.testlib, source=TOUT_CHECKERS[name])
    tests = binsearch("testlib")
    assert tests.checker is not None
    return tests.model_copy(
        update={"checker": tests.checker.model_copy(update={"checker": checker})}
    )


def test_a_testlib_interactors_checker_reads_its_tout(judge: Judge) -> None:
    search = (CASES / "passed" / "search.cpp").read_text()
    liar = (CASES / "wrong_answer" / "liar.py").read_text()
    agreed = grade(judge, search, with_tout_checker("agrees"), Language.cpp)
    assert agreed.reward == 1, describe(agreed)
    assert all(t.message.startswith("TOUT agrees") for t in agreed.tests), describe(agreed)
    lied = grade(judge, liar, with_tout_checker("agrees"), Language.python)
    assert lied.reward == 0 and lied.verdict == Verdict.wrong_answer, describe(lied)
    refused = grade(judge, search, with_tout_checker("refuses"), Language.cpp)
    assert refused.reward == 0 and refused.verdict == Verdict.wrong_answer, describe(refused)
    assert refused.tests[0].message == "never satisfied"
    failed = grade(judge, search, with_tout_checker("fails"), Language.cpp)
    assert failed.status == "error" and failed.error is not None, describe(failed)
    assert failed.error.code == "checker_failed"
