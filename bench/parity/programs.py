"""Real programs from the shared datasets, run bare under each dataset's own harness and graded
in the jail: one that passes bare must score 1, one that fails bare must score 0.

Bare, each dataset runs as its own harness does (datasets README): HumanEval `prompt +
solution + test + check(entry_point)`, MBPP `code + imports + asserts`, MBPP+ `prompt +
canonical_solution + import math + assertion`, rllm's LeetCode `PRELUDE + solution +
functional` (rllm's own prelude file), stdio programs `python3 main.py < input` compared
outside with the repository's comparators.  MBPP+ inputs as call tests take their expected
values from the reference run bare (EvalPlus' oracle), so there the jail's return values are
compared with bare ones.  Every program runs bare twice: one whose two runs disagree is
recorded as flaky and left out of the comparison.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from bench.parity.bare import BareRun, run_bare
from crucible.datasets import (
    deepcoder_testset,
    humaneval_submission,
    leetcode_submission,
    mbpp_plus_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.mbpp_plus import (
    OracleAnswers,
    mbpp_plus_call_submission,
    mbpp_plus_oracle,
    parse_oracle_output,
)
from crucible.schema import (
    AssertTestSet,
    Comparator,
    Limits,
    StdioCase,
    StdioTestSet,
    Submission,
    TestResult,
    Verdict,
)
from workers.judge.answers import MAX_ANSWER_BYTES
from workers.judge.comparators import compare_text
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

SEED = 13
# Generous, so that a loaded two-core machine never turns a verdict: CPU per test in the
# jail, and the same test's wall clock (2 x 20 + 1 s) bare.
LIMITS = Limits(time_s=20)
# MBPP+ tasks whose ground truth EvalPlus rewrote ("special oracle"): their canonical
# solutions fail the original asserts bare, so they are the known-wrong side of MBPP+.
MBPP_PLUS_REWRITTEN = ("Mbpp/164", "Mbpp/295")
KATTIS_COMPARATORS = {"different": "tokens", "hello": "lines", "oddecho": "lines"}
# DeepCoder's stdio splits carry no reference solutions: a fixed echo program stands in.
ECHO = "print(input())\n"


@dataclass(frozen=True, slots=True)
class ExpectedVerdict:
    """A deliberate difference in scoring: a program of `dataset` that passes bare and fails
    in the jail with a verdict message containing `message`, and why that is so."""

    dataset: str
    message: str
    reason: str


EXPECTED_VERDICTS: tuple[ExpectedVerdict, ...] = (
    ExpectedVerdict(
        "mbpp_plus_calls",
        f"the return value is over {MAX_ANSWER_BYTES} bytes as JSON",
        "a call test's return value crosses to the worker as JSON of at most 1 MiB (docs/client.md,"
        " 'The wire schema'; invariant 5, a program cannot turn its 0 into an error);"
        " bare, EvalPlus compares a result of any size",
    ),
)


@dataclass(frozen=True, slots=True)
class Sample:
    """How many programs of each set to take (None: all), chosen with SEED."""

    humaneval: int | None
    humaneval_broken: int | None
    mbpp: int | None
    mbpp_plus: int | None
    mbpp_plus_calls: int | None
    leetcode_test: int | None
    leetcode_train: int | None
    deepcoder_echo: int | None

    def capped(self, limit: int | None) -> Sample:
        """Every count at most `limit` (`crucible bench parity --limit`)."""
        if limit is None:
            return self
        counts = {
            f.name: limit if getattr(self, f.name) is None else min(getattr(self, f.name), limit)
            for f in fields(self)
        }
        return Sample(**counts)


# About a minute of the test suite on two cores; the bench takes every program of the small
# sets and samples of the large ones.
TEST_SAMPLE = Sample(
    humaneval=60,
    humaneval_broken=24,
    mbpp=100,
    mbpp_plus=50,
    mbpp_plus_calls=8,
    leetcode_test=16,
    leetcode_train=0,
    deepcoder_echo=6,
)
BENCH_SAMPLE = Sample(
    humaneval=None,
    humaneval_broken=None,
    mbpp=None,
    mbpp_plus=None,
    mbpp_plus_calls=60,
    leetcode_test=None,
    leetcode_train=40,
    deepcoder_echo=40,
)


@dataclass(frozen=True, slots=True)
class BareTest:
    """One process bare: its source and stdin; `expected` stdout (compared with
    `comparator`) or None, when exiting 0 is passing (an assert harness)."""

    source: str
    stdin: bytes = b""
    expected: str | None = None
    comparator: Comparator = field(default_factory=Comparator)


Grade = Callable[[Sequence[BareRun]], Submission]


@dataclass(frozen=True, slots=True)
class ProgramCase:
    """A dataset program: how it runs bare, and the submission the jail grades (made from
    its bare runs where the dataset takes expected values from the reference)."""

    name: str
    dataset: str
    bare: tuple[BareTest, ...]
    submission: Grade


@dataclass(frozen=True, slots=True)
class ProgramOutcome:
    name: str
    dataset: str
    bare_passed: bool
    bare_flaky: bool  # two bare runs disagreed: left out of the comparison
    jail_reward: int | None  # None: not graded, or a judge fault (the detail says which)
    detail: str = ""
    graded: bool = True  # False: there was nothing to grade (a reference that failed bare)
    expected: str = ""  # the reason, when the jail scores it otherwise on purpose

    @property
    def agrees(self) -> bool:
        if self.bare_flaky or not self.graded or self.expected:
            return True
        return self.jail_reward == int(self.bare_passed)


@dataclass(frozen=True, slots=True)
class BareVerdict:
    passed: bool
    runs: tuple[BareRun, ...]
    detail: str = ""


def check_program(judge: Judge, case: ProgramCase) -> ProgramOutcome:
    """Run `case` bare twice and graded once; the jail's reward against bare's verdict."""
    first, second = (run_bare_tests(case, judge.settings) for _ in range(2))
    flaky = first.passed != second.passed or _answers_differ(case, first, second)
    outcome = ProgramOutcome(case.name, case.dataset, first.passed, flaky, None, first.detail)
    try:
        submission = case.submission(first.runs)
    except ValueError as exc:  # no expected values: the reference answered nothing bare
        return replace(outcome, graded=False, detail=f"{first.detail}; not graded: {exc}")
    try:
        result = judge.grade(submission)
    except JudgeError as exc:
        return replace(outcome, detail=f"judge fault {exc.code}: {exc.message[-300:]}")
    failed = next((t for t in result.tests if t.verdict != Verdict.passed), None)
    detail = "; ".join(part for part in (first.detail, _describe(failed)) if part)
    expected = _expected_reason(case.dataset, failed) if first.passed else ""
    return replace(outcome, jail_reward=result.reward, detail=detail, expected=expected)


def _describe(failed: TestResult | None) -> str:
    """The jail's first failing test, with its message and stderr's tail."""
    if failed is None:
        return ""
    text = f"jail: test {failed.index} {failed.verdict.value}"
    if failed.message:
        text += f" ({failed.message[-200:]})"
    if failed.stderr_tail:
        text += f"; stderr ...{failed.stderr_tail[-300:]!r}"
    return text


def _expected_reason(dataset: str, failed: TestResult | None) -> str:
    """Why the jail fails this test on purpose, if it is one of EXPECTED_VERDICTS."""
    if failed is None:
        return ""
    found = (e for e in EXPECTED_VERDICTS if e.dataset == dataset and e.message in failed.message)
    return next((e.reason for e in found), "")


def run_bare_tests(case: ProgramCase, settings: JudgeSettings) -> BareVerdict:
    """The case's bare processes in order, up to the first that fails."""
    runs: list[BareRun] = []
    for index, test in enumerate(case.bare):
        run = run_bare(test.source, test.stdin, settings=settings, timeout_s=LIMITS.test_wall_s)
        runs.append(run)
        problem = _bare_failure(test, run)
        if problem:
            where = f"bare test {index}" if len(case.bare) > 1 else "bare"
            return BareVerdict(False, tuple(runs), f"{where}: {problem}")
    return BareVerdict(True, tuple(runs))


def _bare_failure(test: BareTest, run: BareRun) -> str:
    if run.ended != "exit 0":
        last = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        return f"{run.ended}{': ' + last[0][:200] if last else ''}"
    if test.expected is None:
        return ""
    comparison = compare_text(test.comparator, test.expected, run.stdout)
    return "" if comparison.equal else f"wrong answer ({comparison.detail[:200]})"


def _answers_differ(case: ProgramCase, first: BareVerdict, second: BareVerdict) -> bool:
    """Whether two bare runs of a reference gave different values for an input both answered
    (what it could not answer in time under load is left out of the tests, not flaky)."""
    if case.dataset != "mbpp_plus_calls" or not (first.passed and second.passed):
        return False
    a, b = (_oracle(v.runs) for v in (first, second))
    return any(a.outputs[i] != b.outputs[i] for i in a.outputs.keys() & b.outputs.keys())


def _oracle(runs: Sequence[BareRun]) -> OracleAnswers:
    return parse_oracle_output(runs[-1].stdout.decode("utf-8", "replace"))


# --- the datasets -----------------------------------------------------------------------


def sample_programs(root: Path, sample: Sample) -> list[ProgramCase]:
    """The programs of every set, `sample` of each, in a fixed order."""
    return [
        *_humaneval(root, sample),
        *_mbpp(root, sample.mbpp),
        *_mbpp_plus(root, sample),
        *_leetcode(root, "test", sample.leetcode_test),
        *_leetcode(root, "train", sample.leetcode_train),
        *_kattis(root),
        *_deepcoder_echo(root, sample.deepcoder_echo),
    ]


def pick(rows: Sequence[Any], count: int | None, label: str) -> list[tuple[int, Any]]:
    """`count` of `rows` (all when None) with their indices, chosen by SEED and `label`."""
    indices: Sequence[int] = range(len(rows))
    if count is not None and count < len(rows):
        indices = sorted(random.Random(f"{SEED}/{label}").sample(indices, count))
    return [(i, rows[i]) for i in indices]


def _constant(submission: Submission) -> Grade:
    return lambda _runs: submission


def _assert_case(name: str, dataset: str, source: str, submission: Submission) -> ProgramCase:
    return ProgramCase(name, dataset, (BareTest(source),), _constant(submission))


# The broken variant (as in tests/integration/test_datasets_judged.py): the canonical solution,
# then the entry point rebound to a wrapper returning a value of the wrong kind.
HUMANEVAL_BREAKAGE = """
_crucible_canonical = {name}


def {name}(*args, **kwargs):
    result = _crucible_canonical(*args, **kwargs)
    return None if result is not None else 0
"""


def _humaneval(root: Path, sample: Sample) -> Iterator[ProgramCase]:
    rows = list(read_jsonl(root / "humaneval" / "HumanEval.jsonl.gz"))
    for _, row in pick(rows, sample.humaneval, "humaneval"):
        yield _humaneval_case(row, row["canonical_solution"], "humaneval")
    for _, row in pick(rows, sample.humaneval_broken, "humaneval_broken"):
        broken = row["canonical_solution"] + HUMANEVAL_BREAKAGE.format(name=row["entry_point"])
        yield _humaneval_case(row, broken, "humaneval_broken")


def _humaneval_case(row: Mapping[str, Any], completion: str, dataset: str) -> ProgramCase:
    source = f"{row['prompt']}{completion}\n{row['test']}\ncheck({row['entry_point']})\n"
    submission = humaneval_submission(row, completion=completion, limits=LIMITS)
    return _assert_case(f"{dataset}/{row['task_id']}", dataset, source, submission)


def _mbpp(root: Path, count: int | None) -> Iterator[ProgramCase]:
    rows = read_json(root / "mbpp" / "sanitized-mbpp.json")
    for _, row in pick(rows, count, "mbpp"):
        tests = "\n".join([*row.get("test_imports", []), *row["test_list"]])
        source = f"{row['code']}\n{tests}\n"
        submission = mbpp_submission(row, limits=LIMITS)
        yield _assert_case(f"mbpp/{row['task_id']}", "mbpp", source, submission)


def _mbpp_plus(root: Path, sample: Sample) -> Iterator[ProgramCase]:
    rows = list(read_jsonl(root / "evalplus" / "MbppPlus.jsonl"))
    chosen = dict(pick(rows, sample.mbpp_plus, "mbpp_plus"))
    if sample.mbpp_plus != 0:  # the known-wrong pair always
        chosen.update((i, r) for i, r in enumerate(rows) if r["task_id"] in MBPP_PLUS_REWRITTEN)
    for _, row in sorted(chosen.items()):
        program = row["prompt"] + row["canonical_solution"]
        source = f"{program}\nimport math\n{row['assertion']}\n"
        submission = mbpp_plus_submission(row, limits=LIMITS)
        yield _assert_case(f"mbpp_plus/{row['task_id']}", "mbpp_plus", source, submission)
    for _, row in pick(rows, sample.mbpp_plus_calls, "mbpp_plus_calls"):
        yield ProgramCase(
            f"mbpp_plus_calls/{row['task_id']}",
            "mbpp_plus_calls",
            (BareTest(mbpp_plus_oracle(row)),),
            _from_oracle(row),
        )


def _from_oracle(row: Mapping[str, Any]) -> Grade:
    """MBPP+ call tests whose expected values are what the reference returned bare."""
    return lambda runs: mbpp_plus_call_submission(row, _oracle(runs), limits=LIMITS)


def _leetcode(root: Path, split: str, count: int | None) -> Iterator[ProgramCase]:
    if count == 0:
        return
    rows = read_json(root / "rllm-deepcoder" / f"{split}_leetcode.json")
    prelude = (root / "rllm-deepcoder" / "leetcode_prelude.py.txt").read_text(encoding="utf-8")
    for i, row in pick(rows, count, f"leetcode_{split}"):
        submission = leetcode_submission(row, limits=LIMITS)
        assert isinstance(submission.tests, AssertTestSet)
        source = f"{prelude}\n{submission.code}\n{submission.tests.code}\n"
        name = f"leetcode_{split}/{i}"
        yield _assert_case(name, f"leetcode_{split}", source, submission)


def _kattis(root: Path) -> Iterator[ProgramCase]:
    """Every Python program filed as accepted or partially accepted (Python 2 included: it
    fails bare on its syntax); `slow_accepted` needs minutes of CPU per test and is left out."""
    folder = root / "kattis-problemtools-examples"
    for problem, comparator in sorted(KATTIS_COMPARATORS.items()):
        tests = _kattis_tests(folder / problem)
        for path in sorted((folder / problem / "submissions").glob("*accepted/*.py")):
            if path.parent.name == "slow_accepted":
                continue
            code = path.read_text(encoding="utf-8")
            bare = tuple(
                BareTest(code, _bytes(c.input), c.output, Comparator(name=comparator))
                for c in tests.cases
            )
            submission = Submission(
                code=code, tests=tests, limits=LIMITS, comparator=Comparator(name=comparator)
            )
            name = f"kattis/{problem}/{path.parent.name}/{path.name}"
            yield ProgramCase(name, "kattis", bare, _constant(submission))


def _bytes(stdin: str) -> bytes:
    """A test's stdin as the jail is fed it (`workers/judge/testfiles.py`)."""
    return stdin.encode("utf-8", "surrogateescape")


def _kattis_tests(problem: Path) -> StdioTestSet:
    inputs = [
        path
        for part in ("sample", "secret")
        for path in sorted((problem / "data" / part).rglob("*.in"))
    ]
    return StdioTestSet(
        cases=[
            StdioCase(input=p.read_text(), output=p.with_suffix(".ans").read_text()) for p in inputs
        ]
    )


def _deepcoder_echo(root: Path, count: int | None) -> Iterator[ProgramCase]:
    for split in ("code_contests", "codeforces"):
        rows = read_json(root / "rllm-deepcoder" / f"test_{split}.json")
        for i, row in pick(rows, count, f"deepcoder_{split}"):
            tests = deepcoder_testset(row["tests"])
            assert isinstance(tests, StdioTestSet)
            bare = tuple(BareTest(ECHO, _bytes(c.input), c.output) for c in tests.cases)
            submission = Submission(code=ECHO, tests=tests, limits=LIMITS)
            name = f"deepcoder_echo/{split}/{i}"
            yield ProgramCase(name, "deepcoder_echo", bare, _constant(submission))
