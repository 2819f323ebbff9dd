"""Checkers through the real judge: problems with many right answers, each a folder of
checker_cases/ (its checker, tests.json, and programs in folders named by what they must
get), and every way a checker can fail, each a judge fault, never a 0 or a 1.

checker.cpp is a testlib-protocol checker (with checklib.h, written here, as its supporting
file), validator.py a Kattis output validator, checker.py a Python checker.  A program under
passed/ must score 1; under wrong_answer/ and presentation_error/, 0 with a wrong answer
(testlib's presentation error says so in the message); under partial/, 0 with a score
strictly between 0 and 1 on its first failing test.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from crucible.datasets import language_of
from crucible.schema import (
    Checker,
    CheckerLimits,
    Language,
    Limits,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    Verdict,
)
from workers.judge import launcher
from workers.judge.errors import CheckerFailed, JudgeError
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

CASES = Path(__file__).parent / "checker_cases"
PROBLEMS = sorted(p.name for p in CASES.iterdir() if (p / "tests.json").is_file())
LIMITS = Limits(time_s=5)


def case_checker(folder: Path) -> Checker:
    if (folder / "checker.cpp").is_file():
        helper = (CASES / "checklib.h").read_text()
        source = (folder / "checker.cpp").read_text()
        return Checker(protocol="testlib", source=source, files={"checklib.h": helper})
    if (folder / "validator.py").is_file():
        source = (folder / "validator.py").read_text()
        return Checker(protocol="kattis", language="python", source=source)
    return Checker(protocol="python", language="python", source=(folder / "checker.py").read_text())


def case_testset(folder: Path) -> StdioTestSet:
    cases = [StdioCase(**case) for case in json.loads((folder / "tests.json").read_text())]
    return StdioTestSet(cases=cases, checker=case_checker(folder))


def describe(result: RewardResult) -> str:
    shown = [(t.verdict.value, t.message[:100], t.score) for t in result.tests]
    return f"{result.status} {result.reward} {result.error} {shown}"


def test_every_kind_of_program_is_here() -> None:
    kinds = {path.parent.name for path in CASES.glob("*/*/*") if language_of(path)}
    assert kinds == {"passed", "wrong_answer", "presentation_error", "partial"}
    assert {"path", "permutation", "set"} <= set(PROBLEMS)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_checker_case(judge: Judge, problem: str) -> None:
    folder = CASES / problem
    testset = case_testset(folder)
    programs = sorted(p for p in folder.glob("*/*") if language_of(p) is not None)
    assert {p.parent.name for p in programs} >= {"passed", "wrong_answer"}
    for path in programs:
        language = language_of(path)
        assert language is not None
        submission = Submission(
            language=language, code=path.read_text(), tests=testset, limits=LIMITS
        )
        result = judge.grade(submission)
        kind, shown = path.parent.name, f"{problem}/{path.parent.name}/{path.name}: "
        print(shown + describe(result))
        assert result.status == "graded", shown + describe(result)
        assert result.comparator is not None and result.comparator.name.startswith("checker:")
        if kind == "passed":
            assert result.reward == 1, shown + describe(result)
            continue
        failed = next(t for t in result.tests if t.verdict != Verdict.passed)
        assert result.reward == 0 and failed.verdict == Verdict.wrong_answer, shown
        presentation = failed.message.startswith("presentation error")
        assert presentation is (kind == "presentation_error"), shown + failed.message
        if kind == "partial":
            assert failed.score is not None and 0 < failed.score < 1, shown + describe(result)


# -- a checker that fails: never a verdict ----------------------------------------------------

# One testlib-protocol checker whose every behaviour the test's input picks.
MOODS = r"""
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

int main(int argc, char** argv) {
    char mood[64] = "";
    FILE* in = std::fopen(argv[1], "r");
    if (!in || std::fscanf(in, "%63s", mood) != 1) return 3;
    if (!std::strcmp(mood, "accept")) return 0;
    if (!std::strcmp(mood, "wrong")) { std::fputs("wrong answer: no", stderr); return 1; }
    if (!std::strcmp(mood, "dirt")) return 4;
    if (!std::strcmp(mood, "eof")) return 8;
    if (!std::strcmp(mood, "fail")) { std::fputs("FAIL the answer file is bad", stderr); return 3; }
    if (!std::strcmp(mood, "exit9")) return 9;
    if (!std::strcmp(mood, "crash")) { std::raise(SIGSEGV); }
    if (!std::strcmp(mood, "abort")) { std::abort(); }
    if (!std::strcmp(mood, "spin")) { for (volatile unsigned long i = 0;; i++) {} }
    if (!std::strcmp(mood, "sleep")) { pause(); }
    if (!std::strcmp(mood, "hog")) {
        std::vector<char*> blocks;
        for (;;) {
            char* block = (char*)std::malloc(1 << 20);
            std::memset(block, 1, 1 << 20);
            blocks.push_back(block);
        }
    }
    if (!std::strcmp(mood, "half")) { std::fputs("points 0.5 half of it", stderr); return 7; }
    if (!std::strcmp(mood, "full")) { std::fputs("points 1 all of it", stderr); return 7; }
    if (!std::strcmp(mood, "two")) { std::fputs("points 2 more than all", stderr); return 7; }
    if (!std::strcmp(mood, "nopoints")) { std::fputs("points many", stderr); return 7; }
    return 3;
}
"""
MOOD_LIMITS = CheckerLimits(time_s=0.5, wall_time_s=1.0, memory_mb=64)
# Mood -> (verdict, score) for those the protocol defines; None: the checker failed.
MOOD_OUTCOMES: dict[str, tuple[Verdict, float | None] | None] = {
    "accept": (Verdict.passed, None),
    "wrong": (Verdict.wrong_answer, None),
    "dirt": (Verdict.wrong_answer, None),
    "eof": (Verdict.wrong_answer, None),
    "half": (Verdict.wrong_answer, 0.5),
    "full": (Verdict.passed, 1.0),
    "fail": None,
    "exit9": None,
    "crash": None,
    "abort": None,
    "spin": None,
    "sleep": None,
    "hog": None,
    "two": None,
    "nopoints": None,
}


def grade_mood(judge: Judge, mood: str, checker: Checker) -> RewardResult | JudgeError:
    tests = StdioTestSet(cases=[StdioCase(input=f"{mood}\n", output="")], checker=checker)
    try:
        return judge.grade(Submission(code="print('output')", tests=tests, limits=LIMITS))
    except JudgeError as exc:
        return exc


def test_the_checker_decides_as_its_protocol_says_and_its_failures_are_errors(
    judge: Judge,
) -> None:
    checker = Checker(protocol="testlib", source=MOODS, limits=MOOD_LIMITS)
    for mood, outcome in MOOD_OUTCOMES.items():
        got = grade_mood(judge, mood, checker)
        print(mood, got if isinstance(got, JudgeError) else describe(got))
        if outcome is None:
            assert isinstance(got, CheckerFailed), (mood, got)
            assert got.body().code == "checker_failed" and not got.retryable
            continue
        assert isinstance(got, RewardResult), (mood, got)
        verdict, score = outcome
        assert (got.tests[0].verdict, got.tests[0].score) == (verdict, score), mood
        assert got.reward == (1 if verdict == Verdict.passed else 0)
    # The judge's own entry: a checker's failure is a status "error" result, never a 0.
    tests = StdioTestSet(cases=[StdioCase(input="fail\n", output="")], checker=checker)
    result = judge.grade_or_error(Submission(code="print(1)", tests=tests, limits=LIMITS))
    assert result.status == "error" and result.reward is None and result.error is not None
    assert result.error.code == "checker_failed" and "answer file is bad" in result.error.message


PYTHON_FAILURES = {
    "raises": "raise ValueError('a bug of the checker')\n",
    "exits_one": "import sys\nprint('0')\nsys.exit(1)\n",
    "no_score": "print('accepted')\n",
    "over_one": "print('1.5 too generous')\n",
    "not_finite": "print('nan')\n",
}


@pytest.mark.parametrize("name", sorted(PYTHON_FAILURES))
def test_a_python_checker_that_does_not_score_is_an_error(judge: Judge, name: str) -> None:
    checker = Checker(protocol="python", language="python", source=PYTHON_FAILURES[name])
    tests = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")], checker=checker)
    result = judge.grade_or_error(Submission(code="print(1)", tests=tests, limits=LIMITS))
    assert result.status == "error" and result.error is not None, describe(result)
    assert result.error.code == "checker_failed"


def test_a_python_checker_runs_as_python3_would_run_it(judge: Judge) -> None:
    """Python checkers are forked from the checker jail's harness, not started afresh: what
    the checker sees is still a fresh `python3 /code/main INPUT OUTPUT ANSWER` (its own
    modules, even under names the harness's own modules have, its argv, nothing of the
    harness's imported, its exit handlers run, its own signal defaults)."""
    source = (
        "import atexit, signal, sys\n"
        "import checking, protocol\n"
        "assert checking.MINE and protocol.MINE, 'its own modules'\n"
        "assert sys.argv[1:] == ['/dev/fd/3', '/dev/fd/4', '/dev/fd/5'], sys.argv\n"
        "assert 'harness' not in sys.modules and 'accounting' not in sys.modules\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "got = open(sys.argv[2]).read().split()\n"
        "want = open(sys.argv[3]).read().split()\n"
        "atexit.register(lambda: print('1' if got == want else '0', 'said at exit'))\n"
    )
    files = {"checking.py": "MINE = True\n", "protocol.py": "MINE = True\n"}
    checker = Checker(protocol="python", language="python", source=source, files=files)
    tests = StdioTestSet(cases=[StdioCase(input="1\n", output="2\n")], checker=checker)
    right = judge.grade_or_error(Submission(code="print(2)", tests=tests, limits=LIMITS))
    assert right.reward == 1 and right.tests[0].message == "said at exit", describe(right)
    wrong = judge.grade_or_error(Submission(code="print(3)", tests=tests, limits=LIMITS))
    assert wrong.reward == 0 and wrong.tests[0].verdict == Verdict.wrong_answer


@pytest.mark.parametrize("exit_code", [0, 1, 2, 44])
def test_a_kattis_validator_exiting_neither_42_nor_43_is_an_error(
    judge: Judge, exit_code: int
) -> None:
    source = f"import sys\nsys.stdin.read()\nsys.exit({exit_code})\n"
    checker = Checker(protocol="kattis", language="python", source=source)
    tests = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")], checker=checker)
    result = judge.grade_or_error(Submission(code="print(1)", tests=tests, limits=LIMITS))
    assert result.status == "error" and result.error is not None
    assert result.error.code == "checker_failed"


def test_a_checker_that_does_not_build_is_a_bad_test_set(judge: Judge) -> None:
    checker = Checker(protocol="testlib", source='#include "testlib.h"\nint main() {}\n')
    tests = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")], checker=checker)
    result = judge.grade_or_error(Submission(code="print(1)", tests=tests, limits=LIMITS))
    assert result.status == "error" and result.error is not None
    assert result.error.code == "bad_testset" and "testlib.h" in result.error.message


def test_checkers_in_other_languages(judge: Judge) -> None:
    """The same permutation rule as a C checker (testlib protocol) and as a Rust one."""
    c_source = r"""
#include <stdio.h>
int main(int argc, char** argv) {
    FILE* in = fopen(argv[1], "r"); FILE* out = fopen(argv[2], "r");
    int n, seen[64] = {0}, x;
    if (!in || !out || fscanf(in, "%d", &n) != 1) return 3;
    for (int i = 0; i < n; i++) {
        if (fscanf(out, "%d", &x) != 1) return 2;
        if (x < 1 || x > n || seen[x]++) return 1;
    }
    return 0;
}
"""
    rust_source = r"""
use std::fs;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = fs::read_to_string(&args[1]).unwrap().trim().parse().unwrap();
    let out = fs::read_to_string(&args[2]).unwrap_or_default();
    let mut seen = vec![false; n + 1];
    let words: Vec<&str> = out.split_whitespace().collect();
    if words.len() != n { std::process::exit(2); }
    for w in words {
        match w.parse::<usize>() {
            Ok(x) if x >= 1 && x <= n && !seen[x] => seen[x] = true,
            Ok(_) => std::process::exit(1),
            Err(_) => std::process::exit(2),
        }
    }
}
"""
    cases = [StdioCase(input="3\n", output="3\n"), StdioCase(input="5\n", output="5\n")]
    for language, source in ((Language.c, c_source), (Language.rust, rust_source)):
        tests = StdioTestSet(
            cases=cases, checker=Checker(protocol="testlib", language=language, source=source)
        )
        right = "n = int(input())\nprint(*range(n, 0, -1))\n"
        wrong = "n = int(input())\nprint(*[1] * n)\n"
        for code, reward in ((right, 1), (wrong, 0)):
            result = judge.grade(Submission(code=code, tests=tests, limits=LIMITS))
            assert result.reward == reward, (language, describe(result))


SCRIPTED_CC = r"""
#include <fstream>
#include <iostream>
#include <string>
// A Kattis validator: the output's tokens are the answer's.
int main(int argc, char** argv) {
    std::ifstream answer(argv[2]);
    std::string want, got;
    while (answer >> want) {
        if (!(std::cin >> got) || got != want) {
            std::ofstream(std::string(argv[3]) + "/judgemessage.txt") << "expected " << want;
            return 43;
        }
    }
    return std::cin >> got ? 43 : 42;
}
"""
SCRIPTED_PY = """
import sys
answer = open(sys.argv[2]).read().split()
sys.exit(42 if sys.stdin.read().split() == answer else 43)
"""


def test_kattis_validators_built_by_their_scripts(judge: Judge) -> None:
    """A validator folder with a `build` script (it compiles `run`), and one with only a
    `run` script (it starts Python): built, packed and run as Kattis runs them."""
    built = Checker(
        protocol="kattis",
        scripts=True,
        source="g++ -O2 -o run check.cc\n",
        files={"check.cc": SCRIPTED_CC},
    )
    started = Checker(
        protocol="kattis",
        scripts=True,
        source=":\n",
        files={"run": '#!/bin/sh\nexec python3 validate.py "$@"\n', "validate.py": SCRIPTED_PY},
    )
    cases = [StdioCase(input="2 3\n", output="5\n"), StdioCase(input="4 4\n", output="8\n")]
    add = "a, b = map(int, input().split())\nprint(a + b)\n"
    for checker in (built, started):
        tests = StdioTestSet(cases=cases, checker=checker)
        right = judge.grade(Submission(code=add, tests=tests, limits=LIMITS))
        wrong = judge.grade(Submission(code="print(5)", tests=tests, limits=LIMITS))
        assert right.reward == 1, describe(right)
        assert wrong.reward == 0 and wrong.tests[1].verdict == Verdict.wrong_answer, describe(wrong)
    broken = Checker(protocol="kattis", scripts=True, source="exit 1\n", files={"run": ""})
    tests = StdioTestSet(cases=cases, checker=broken)
    result = judge.grade_or_error(Submission(code=add, tests=tests, limits=LIMITS))
    assert result.error is not None and result.error.code == "bad_testset", describe(result)


def test_checks_without_the_launcher_fork_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no launcher could be built, each check is a fork of the harness that execs the
    checker: the same verdicts and messages.  (A work folder of its own, which the jails'
    user can reach as it reaches the default one.)"""
    work = Path(tempfile.mkdtemp(prefix="crucible-forking-", dir="/tmp"))
    work.chmod(0o711)
    monkeypatch.setitem(launcher._built, (work, launcher.LAUNCHER), None)
    forking = Judge(JudgeSettings(work_dir=work))
    try:
        testset = case_testset(CASES / "permutation")
        right = forking.grade(Submission(code="print(*range(int(input()), 0, -1))", tests=testset))
        short = forking.grade(Submission(code="print(*range(1, int(input())))", tests=testset))
    finally:
        forking.close()
        shutil.rmtree(work, ignore_errors=True)
    assert right.reward == 1, describe(right)
    assert short.reward == 0 and short.tests[0].message.startswith("presentation error")
