"""The judge proves itself on real data from /work/shared/datasets (read in place, never copied).

Reference solutions must get reward 1 and known-wrong programs reward 0:

- HumanEval: all 164 canonical solutions pass; a broken variant of each fails.
- DeepCoder (rllm) LeetCode: all 200 test-split references, and the first 100 train-split ones.
- Kattis problemtools examples, read as packages (their own output validator, or the
  default validator's rules): the Python 3 accepted programs pass; oddecho's partially
  accepted program fails; `different`'s slow program is correct but slow; every C, C++, Java,
  JavaScript, Rust and Go program scores as the package files it (accepted 1; wrong answer,
  time limit, run-time error 0); `guess`, interactive, as filed too.
- MBPP sanitized (all 427) and MBPP+ `assertion` (397 of 399) references pass.
- DeepCoder code_contests / codeforces (no references): trivial programs fail.

Each grade starts its own jail, so the many-row tests grade through a two-worker thread pool
(the CI machine has two cores) and collect every failure before asserting, so one run shows
all of them with their verdicts, messages and stderr tails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from crucible.datasets import (
    KattisProblem,
    deepcoder_testset,
    humaneval_submission,
    language_of,
    leetcode_submission,
    mbpp_plus_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
    read_kattis_problem,
)
from crucible.schema import (
    Comparator,
    Limits,
    Policy,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    Verdict,
)
from workers.judge.comparators import compare_text
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge

WORKERS = 2  # the machine has two cores and every grade runs its own jail
LEETCODE_TRAIN_SAMPLE = 100
NO_REFERENCE_SAMPLE = 50
# MBPP+ rewrote these tasks' ground truth upstream ("special oracle"), so the canonical
# solution fails the original MBPP `assertion`; see the datasets README.
MBPP_PLUS_REWRITTEN = frozenset({"Mbpp/164", "Mbpp/295"})

Outcome = RewardResult | JudgeError


# --- helpers ---------------------------------------------------------------------------------


def _grade_all(judge: Judge, submissions: Mapping[str, Submission]) -> dict[str, Outcome]:
    """Grade every submission, two at a time; a judge fault is kept as the outcome."""
    assert judge.cgroups is not None  # set up once here, not raced for by the threads

    def one(submission: Submission) -> Outcome:
        try:
            return judge.grade(submission)
        except JudgeError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {key: pool.submit(one, sub) for key, sub in submissions.items()}
        return {key: future.result() for key, future in futures.items()}


def _describe(outcome: Outcome) -> str:
    """The verdict of a result and, for its first non-passing test, message and stderr tail."""
    if isinstance(outcome, JudgeError):
        return f"judge fault {outcome.code}: {outcome.message[-500:]}"
    text = f"reward={outcome.reward} verdict={outcome.verdict} time={outcome.time_s:.2f}s"
    failed = next((t for t in outcome.tests if t.verdict != Verdict.passed), None)
    if failed is not None:
        text += f" | test {failed.index}: {failed.verdict} {failed.message[-300:]!r}"
        if failed.stderr_tail:
            text += f" | stderr: {failed.stderr_tail[-400:]!r}"
    return text


def _mismatches(outcomes: Mapping[str, Outcome], *, reward: int) -> list[str]:
    """One line per outcome that is not a graded result with the wanted reward."""
    return [
        f"{key}: {_describe(outcome)}"
        for key, outcome in outcomes.items()
        if isinstance(outcome, JudgeError) or outcome.reward != reward
    ]


def _assert_rewards(outcomes: Mapping[str, Outcome], *, reward: int, what: str) -> None:
    failures = _mismatches(outcomes, reward=reward)
    print(f"{what}: {len(outcomes) - len(failures)}/{len(outcomes)} got reward {reward}")
    for line in failures:
        print("  " + line)
    assert not failures, (
        f"{len(failures)} of {len(outcomes)} {what} did not get reward {reward}:\n"
        + ("\n".join(failures))
    )


# --- HumanEval -------------------------------------------------------------------------------

# The broken variant keeps the canonical solution and rebinds the entry point to a wrapper that
# returns a value of the wrong kind: None where the canonical result is not None, else 0.  Every
# result is then wrong (a type that no test expects, or an unusable one where the test computes
# with it), which "return None" alone is not guaranteed to be; a raising program was not chosen
# because it would fail every test trivially, not by a wrong value.  A recursive solution calls
# the wrapper too, which only makes its results more wrong.
HUMANEVAL_BREAKAGE = """
_crucible_canonical = {name}


def {name}(*args, **kwargs):
    result = _crucible_canonical(*args, **kwargs)
    return None if result is not None else 0
"""


@pytest.fixture(scope="module")
def humaneval_rows(datasets: Path) -> list[dict[str, Any]]:
    rows = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))
    assert len(rows) == 164
    return rows


def test_humaneval_canonical_solutions_pass(
    judge: Judge, humaneval_rows: list[dict[str, Any]]
) -> None:
    submissions = {row["task_id"]: humaneval_submission(row) for row in humaneval_rows}
    _assert_rewards(_grade_all(judge, submissions), reward=1, what="HumanEval canonical solutions")


def test_humaneval_broken_solutions_fail(
    judge: Judge, humaneval_rows: list[dict[str, Any]]
) -> None:
    submissions = {
        row["task_id"]: humaneval_submission(
            row,
            completion=row["canonical_solution"]
            + HUMANEVAL_BREAKAGE.format(name=row["entry_point"]),
        )
        for row in humaneval_rows
    }
    _assert_rewards(_grade_all(judge, submissions), reward=0, what="HumanEval broken solutions")


# The prompt's helpers the test checks with, each redefined to undo the entry point's work.
FORGED_HELPERS = {
    "HumanEval/38": "    return s\n\n\ndef encode_cyclic(s):\n    return s\n",
    "HumanEval/50": "    return s\n\n\ndef encode_shift(s):\n    return s\n",
    "HumanEval/32": "    return 0.0\n\n\ndef poly(xs, x):\n    return 0.0\n",
}


def test_humaneval_prompt_helpers_cannot_be_redefined(
    judge: Judge, humaneval_rows: list[dict[str, Any]]
) -> None:
    """The test checks with the prompt's own helpers (the test set's prelude), so a program
    that redefines them to agree with a wrong answer scores 0 (issue 12: before, 1)."""
    rows = {row["task_id"]: row for row in humaneval_rows}
    submissions = {
        task: humaneval_submission(rows[task], completion=completion)
        for task, completion in FORGED_HELPERS.items()
    }
    _assert_rewards(_grade_all(judge, submissions), reward=0, what="forged HumanEval helpers")


# --- DeepCoder LeetCode ----------------------------------------------------------------------


def test_leetcode_test_split_references_pass(judge: Judge, datasets: Path) -> None:
    rows = read_json(datasets / "rllm-deepcoder" / "test_leetcode.json")
    assert len(rows) == 200
    submissions = {f"test_leetcode[{i}]": leetcode_submission(row) for i, row in enumerate(rows)}
    _assert_rewards(_grade_all(judge, submissions), reward=1, what="LeetCode test references")


def test_leetcode_train_split_sample_references_pass(judge: Judge, datasets: Path) -> None:
    rows = read_json(datasets / "rllm-deepcoder" / "train_leetcode.json")[:LEETCODE_TRAIN_SAMPLE]
    assert len(rows) == LEETCODE_TRAIN_SAMPLE
    submissions = {f"train_leetcode[{i}]": leetcode_submission(row) for i, row in enumerate(rows)}
    _assert_rewards(_grade_all(judge, submissions), reward=1, what="LeetCode train references")


# --- MBPP and MBPP+ --------------------------------------------------------------------------


def test_mbpp_sanitized_references_pass(judge: Judge, datasets: Path) -> None:
    rows = read_json(datasets / "mbpp" / "sanitized-mbpp.json")
    assert len(rows) == 427
    submissions = {f"mbpp/{row['task_id']}": mbpp_submission(row) for row in rows}
    _assert_rewards(_grade_all(judge, submissions), reward=1, what="MBPP sanitized references")


def test_mbpp_plus_assertion_references_pass(judge: Judge, datasets: Path) -> None:
    rows = list(read_jsonl(datasets / "evalplus" / "MbppPlus.jsonl"))
    assert len(rows) == 399
    outcomes = _grade_all(judge, {row["task_id"]: mbpp_plus_submission(row) for row in rows})
    rewritten = {key: outcomes.pop(key) for key in sorted(MBPP_PLUS_REWRITTEN)}
    assert len(outcomes) == 397
    _assert_rewards(outcomes, reward=1, what="MBPP+ references")
    # The exclusion is for a reason: those two canonical solutions do fail the old asserts.
    _assert_rewards(rewritten, reward=0, what="MBPP+ rewritten-oracle references")


# --- Kattis problemtools examples, read as the packages they are (crucible.kattis) ----------

# `different` has its own output validator (the test set's kattis checker); `hello` and
# `oddecho` are judged by the default validator (the kattis comparator).  `guess` is
# interactive: its validator is the interactor.
KATTIS_PROBLEMS = ("different", "hello", "oddecho")


def _kattis(datasets: Path) -> Path:
    return datasets / "kattis-problemtools-examples"


def _kattis_problem(datasets: Path, name: str, *, time_s: float) -> KattisProblem:
    """The package, with `time_s` as its time limit: these give none (Kattis derives one
    from the accepted programs' times)."""
    return read_kattis_problem(_kattis(datasets) / name, time_s=time_s)


def _is_python3(path: Path) -> bool:
    try:
        compile(path.read_text(), str(path), "exec")
    except SyntaxError:
        return False
    return True


def test_kattis_packages_are_read_as_kattis_judges_them(datasets: Path) -> None:
    different = _kattis_problem(datasets, "different", time_s=1)
    assert different.testset.checker is not None
    assert different.testset.checker.protocol == "kattis"
    assert set(different.testset.checker.files) == {"validate.h"}
    hello = _kattis_problem(datasets, "hello", time_s=1)
    assert hello.testset.checker is None and hello.comparator.name == "kattis"
    assert hello.limits.memory_mb == 512  # its problem.yaml's
    oddecho = _kattis_problem(datasets, "oddecho", time_s=1)
    assert oddecho.scoring and oddecho.names[:2] == ("sample/1", "sample/2")
    assert oddecho.names[2] == "secret/subtask1/1"


@pytest.mark.parametrize("problem", KATTIS_PROBLEMS)
def test_kattis_accepted_python3_programs_pass(judge: Judge, datasets: Path, problem: str) -> None:
    # Kattis runs Python on PyPy: CPython gets a generous CPU limit per test.
    package = _kattis_problem(datasets, problem, time_s=10)
    folder = _kattis(datasets) / problem
    programs = sorted((folder / "submissions" / "accepted").glob("*.py"))
    python3 = [path for path in programs if _is_python3(path)]
    print(
        f"{problem}: {len(package.testset.cases)} tests; Python 3 accepted: "
        f"{[p.name for p in python3]}; skipped as Python 2: "
        f"{[p.name for p in programs if p not in python3]}"
    )
    assert python3, f"{problem} has no Python 3 accepted program"
    submissions = {
        f"{problem}/{path.name}": package.submission(path.read_text()) for path in python3
    }
    _assert_rewards(_grade_all(judge, submissions), reward=1, what=f"{problem} accepted programs")


# The C, C++, Java, JavaScript, Rust and Go programs Kattis files under each verdict, with
# the reward each must get.
# Kattis sets a problem's time limit from its slowest accepted program, with a safety factor:
# hello_alarm.c spins for 1 s of wall time on purpose, so 2 s here (time_limit_exceeded's
# linear search needs far longer on `different`'s extreme cases).
KATTIS_NATIVE_REWARDS = {
    "accepted": 1,
    "wrong_answer": 0,
    "time_limit_exceeded": 0,
    "run_time_error": 0,
}
NATIVE_TIME_S = 2.0


def test_kattis_programs_in_other_languages_score_as_filed(judge: Judge, datasets: Path) -> None:
    expected: dict[str, int] = {}
    submissions: dict[str, Submission] = {}
    for problem in KATTIS_PROBLEMS:
        package = _kattis_problem(datasets, problem, time_s=NATIVE_TIME_S)
        for path in sorted((_kattis(datasets) / problem / "submissions").glob("*/*")):
            language = language_of(path)
            if language is None or language == "python":
                continue
            name = f"{problem}/{path.parent.name}/{path.name}"
            expected[name] = KATTIS_NATIVE_REWARDS[path.parent.name]
            submissions[name] = package.submission(path.read_text(), language=language)
    # Every verdict Kattis files for C and C++ here, in both languages.
    assert {name.split("/")[1] for name in expected} == set(KATTIS_NATIVE_REWARDS)
    languages = {submissions[n].language for n in expected}
    assert languages == {"c", "cpp", "java", "javascript", "rust", "go"}
    outcomes = _grade_all(judge, submissions)
    for reward in (0, 1):
        chosen = {n: outcome for n, outcome in outcomes.items() if expected[n] == reward}
        _assert_rewards(chosen, reward=reward, what=f"Kattis non-Python programs filed {reward}")


def test_kattis_python2_programs_are_detected(datasets: Path) -> None:
    programs = sorted(_kattis(datasets).glob("*/submissions/*/*.py"))
    python2 = {path.name for path in programs if not _is_python3(path)}
    assert python2 == {"different_py2.py"}


def test_kattis_oddecho_partially_accepted_fails(judge: Judge, datasets: Path) -> None:
    """sol.py always echoes lines 1, 3 and 5 of five: right for subtask 1 (N = 5 everywhere),
    wrong for the samples and subtask 2 where N differs."""
    package = _kattis_problem(datasets, "oddecho", time_s=10)
    code = (package.folder / "submissions" / "partially_accepted" / "sol.py").read_text()
    result = judge.grade(package.submission(code, policy=Policy(stop_on_first_failure=False)))
    verdicts = {name: test.verdict for name, test in zip(package.names, result.tests, strict=True)}
    print(_describe(result), verdicts)
    assert result.reward == 0
    names = package.names
    assert all(verdicts[n] == Verdict.passed for n in names if n.startswith("secret/subtask1/"))
    failed = {verdicts[n] for n in names if n.startswith("secret/subtask2/")} - {Verdict.passed}
    assert failed and failed <= {Verdict.wrong_answer, Verdict.runtime_error}


def test_kattis_different_slow_accepted(judge: Judge, datasets: Path) -> None:
    """different_slow.py spins 10**8 iterations per input line: about 6 s of CPython CPU a line
    here (Kattis runs it on PyPy).  The 40-line secret test would need about 240 s, beyond the
    schema's 120 s per-test maximum, so the generous run grades the sample test (3 lines) only;
    the 1 s run grades everything and must fail on time, never on the answer."""
    package = _kattis_problem(datasets, "different", time_s=1)
    code = (package.folder / "submissions" / "slow_accepted" / "different_slow.py").read_text()
    generous = Limits(time_s=60, memory_mb=package.limits.memory_mb)
    submissions = {
        "generous (sample only, 60 s)": package.submission(
            code, limits=generous, policy=Policy(max_tests=1)
        ),
        "1 s": package.submission(code),
    }
    outcomes = _grade_all(judge, submissions)
    for key, outcome in outcomes.items():
        print(f"different_slow.py {key}: {_describe(outcome)}")
    fast, strict = outcomes["generous (sample only, 60 s)"], outcomes["1 s"]
    assert isinstance(fast, RewardResult) and fast.reward == 1, _describe(fast)
    assert isinstance(strict, RewardResult), _describe(strict)
    assert strict.verdict in {Verdict.passed, Verdict.time_limit}, _describe(strict)


GUESS_VERDICTS = {
    "accepted": Verdict.passed,
    "wrong_answer": Verdict.wrong_answer,
    "run_time_error": Verdict.runtime_error,
    "time_limit_exceeded": Verdict.time_limit,
}


def test_kattis_guess_is_graded_as_filed(judge: Judge, datasets: Path) -> None:
    """guess's validator talks to the program (an interactive problem): every submission
    of the package gets the verdict of the folder it is filed under, a WA that then spins
    (guess_tle.cc) or crashes (GuessCrash.java) included."""
    package = _kattis_problem(datasets, "guess", time_s=1)
    assert package.interactive
    assert package.testset.checker is not None and package.testset.checker.interactive
    for path in sorted((package.folder / "submissions").glob("*/*")):
        language = language_of(path)
        assert language is not None, path
        result = judge.grade_or_error(package.submission(path.read_text(), language=language))
        shown = f"guess {path.parent.name}/{path.name}: {_describe(result)}"
        print(shown)
        assert result.status == "graded", shown
        assert result.verdict == GUESS_VERDICTS[path.parent.name], shown


# --- DeepCoder code_contests / codeforces: no references, so only trivial programs ----------

TRIVIAL_PROGRAMS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    # name: (program, the stdout it gives for an input), used to drop tests it could pass
    "empty": ("", lambda _input: b""),
    "prints nothing": ("import sys\nsys.stdin.read()\n", lambda _input: b""),
    "echo": (
        "print(input())\n",
        lambda text: (text.split("\n", 1)[0] + "\n").encode() if text else b"",
    ),
}


def _failing_cases(testset: StdioTestSet, stdout: Callable[[str], bytes]) -> list[StdioCase]:
    """The cases a program with this output can never pass (under the default comparator)."""
    return [
        c for c in testset.cases if not compare_text(Comparator(), c.output, stdout(c.input)).equal
    ]


@pytest.mark.parametrize("name", ["test_code_contests.json", "test_codeforces.json"])
def test_deepcoder_trivial_programs_fail(judge: Judge, datasets: Path, name: str) -> None:
    rows = read_json(datasets / "rllm-deepcoder" / name)[:NO_REFERENCE_SAMPLE]
    submissions: dict[str, Submission] = {}
    excluded: list[str] = []
    for i, row in enumerate(rows):
        testset = deepcoder_testset(row["tests"])
        assert isinstance(testset, StdioTestSet)
        for program, (code, stdout) in TRIVIAL_PROGRAMS.items():
            cases = _failing_cases(testset, stdout)
            if len(cases) < len(testset.cases):
                excluded.append(f"{name}[{i}] {program}: {len(testset.cases) - len(cases)} test(s)")
            if not cases:
                continue
            submissions[f"{name}[{i}] {program}"] = Submission(
                code=code,
                tests=StdioTestSet(cases=cases),
                policy=Policy(stop_on_first_failure=False),
            )
    print(f"excluded (expected output equals what the program prints): {excluded}")
    outcomes = _grade_all(judge, submissions)
    _assert_rewards(outcomes, reward=0, what=f"{name} trivial programs")
    # Every single test must fail, not just one per problem.
    passing = [
        f"{key}: tests {[t.index for t in o.tests if t.verdict == Verdict.passed]}"
        for key, o in outcomes.items()
        if isinstance(o, RewardResult) and o.pass_fraction
    ]
    assert not passing, "trivial programs passed tests:\n" + "\n".join(passing)
