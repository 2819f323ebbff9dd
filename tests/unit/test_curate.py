"""`crucible curate` on a hand-made data set, graded by an in-process runner: each rule
rejects exactly the rows built to break it, the outputs hold the rows as they came, and a
run interrupted between batches resumes where it stopped."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from crucible import schema
from crucible.schema import (
    CallTestSet,
    Language,
    RewardResult,
    Status,
    StdioTestSet,
    Submission,
    Verdict,
)
from curate.pipeline import Options, curate
from curate.rules import Rules
from curate.sources import read_dataset
from curate.state import StateMismatch
from tests.unit.curate_rows import EXPECTED, TIME_LIMIT_S, rows, write_rows


class InProcessGrader:
    """Runs each (trusted, hand-made) stdio program with exec in this process, timing its
    CPU: the grader's contract without a sandbox.  It stops after `batches` calls when set."""

    where = "in-process runner"

    def __init__(self, *, batches: int | None = None) -> None:
        self.calls = 0
        self.submissions = 0
        self._batches = batches
        # The pipeline grades two batches at once; this grader swaps the process's stdin and
        # stdout, so it takes one call at a time.
        self._lock = threading.Lock()

    def grade(self, submissions: Sequence[Submission]) -> list[RewardResult | None]:
        with self._lock:
            if self._batches is not None and self.calls >= self._batches:
                raise KeyboardInterrupt
            self.calls += 1
            self.submissions += len(submissions)
            return [self._grade(s) for s in submissions]

    def _grade(self, submission: Submission) -> RewardResult:
        assert isinstance(submission.tests, StdioTestSet)
        tests = []
        for index, case in enumerate(submission.tests.cases):
            output, cpu = _run(submission.code or "", case.input)
            verdict = (
                Verdict.passed if output.strip() == case.output.strip() else Verdict.wrong_answer
            )
            if cpu > submission.limits.time_s:
                verdict = Verdict.time_limit
            tests.append(schema.TestResult(index=index, verdict=verdict, time_s=round(cpu, 4)))
        passed = sum(t.verdict == Verdict.passed for t in tests)
        failed = next((t.verdict for t in tests if t.verdict != Verdict.passed), Verdict.passed)
        return RewardResult(
            status=Status.graded,
            reward=int(passed == len(tests)),
            pass_fraction=passed / len(tests),
            verdict=failed,
            tests=tests,
        )

    def close(self) -> None:
        pass


def _run(code: str, stdin: str) -> tuple[str, float]:
    out = io.StringIO()
    started = time.thread_time()  # this thread's: the pipeline's own work is not the program's
    with contextlib.redirect_stdout(out), _stdin(stdin):
        try:
            exec(compile(code, "<program>", "exec"), {"__name__": "__main__"})
        except Exception:  # a crash is a wrong answer here
            return "", time.thread_time() - started
    return out.getvalue(), time.thread_time() - started


@contextlib.contextmanager
def _stdin(text: str):  # type: ignore[no-untyped-def]
    import sys

    saved, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def _options(tmp_path: Path, **fields: object) -> Options:
    source = write_rows(tmp_path)
    rules = Rules(time_limit=TIME_LIMIT_S)
    return Options(input=source, out=tmp_path / "out", rules=rules, progress=False, **fields)  # type: ignore[arg-type]


def _rejected(out: Path) -> dict[int, dict[str, object]]:
    lines = (out / "rejected.jsonl").read_text().splitlines()
    return {row["index"]: row for row in map(json.loads, lines)}


def test_each_rule_rejects_exactly_its_rows(tmp_path: Path) -> None:
    options = _options(tmp_path, batch=4)
    outcome = curate(options, InProcessGrader())
    rejected = _rejected(options.out)
    assert {i: row["reason"] for i, row in rejected.items()} == EXPECTED
    assert (outcome.kept, outcome.rejected) == (1, len(EXPECTED))
    kept = json.loads((options.out / "kept.json").read_text())
    assert kept == [rows()[0]]  # the row as it came
    assert rejected[6]["row"] == rows()[6]
    report = json.loads((options.out / "report.json").read_text())
    assert report["per_reason"] == {
        r: list(EXPECTED.values()).count(r) for r in dict.fromkeys(report["per_reason"])
    }
    assert sum(report["per_reason"].values()) == len(EXPECTED)
    assert report["throughput"]["graded_problems"] == 6  # rows 0 and 5 to 9
    assert "# Curation of `handmade.json`" in (options.out / "report.md").read_text()


def test_rules_switched_off_keep_their_rows(tmp_path: Path) -> None:
    options = _options(tmp_path)
    relaxed = Rules(min_tests=1, dedupe="none", time_margin=0, weak=False, time_limit=TIME_LIMIT_S)
    curate(
        Options(input=options.input, out=options.out, rules=relaxed, progress=False),
        InProcessGrader(),
    )
    reasons = {i: row["reason"] for i, row in _rejected(options.out).items()}
    assert {1, 3, 4, 8, 9}.isdisjoint(reasons)
    assert reasons[5] == "reference_fails"


def test_any_reference_is_enough_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "two.json"
    tests = {"inputs": [f"{i} 1\n" for i in range(5)], "outputs": [f"{i + 1}\n" for i in range(5)]}
    source.write_text(
        json.dumps([{"problem": "p", "tests": tests, "solutions": ["print(0)\n", ADD_ROW]}])
    )
    for require, kept in (("all", 0), ("any", 1)):
        out = tmp_path / require
        rules = Rules(require=require)  # type: ignore[arg-type]
        assert (
            curate(
                Options(input=source, out=out, rules=rules, progress=False), InProcessGrader()
            ).kept
            == kept
        )


ADD_ROW = "a, b = map(int, input().split())\nprint(a + b)\n"


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    options = _options(tmp_path, batch=2)
    with pytest.raises(KeyboardInterrupt):
        curate(options, InProcessGrader(batches=1))
    state = (options.out / "state.jsonl").read_text().splitlines()
    assert len(state) == 1 + 2 + 1  # settings, two decisions, one batch
    second = InProcessGrader()
    outcome = curate(options, second)
    assert outcome.graded_now == 4 and second.calls == 2  # the six graded rows less two
    assert {i: r["reason"] for i, r in _rejected(options.out).items()} == EXPECTED
    third = InProcessGrader()
    assert curate(options, third).graded_now == 0 and third.calls == 0


def test_a_state_file_from_other_rules_is_refused(tmp_path: Path) -> None:
    options = _options(tmp_path)
    curate(options, InProcessGrader())
    stricter = Options(
        input=options.input, out=options.out, rules=Rules(min_tests=6), progress=False
    )
    with pytest.raises(StateMismatch):
        curate(stricter, InProcessGrader())


def test_published_formats_are_read_row_by_row(tmp_path: Path) -> None:
    """TACO/APPS, CodeContests and LiveCodeBench rows as those data sets publish them (their
    files are not among the shared data sets: rows of their shape, written here)."""
    taco = {
        "question": "Print the sum.",
        "input_output": json.dumps({"inputs": ["1 2\n"], "outputs": ["3\n"]}),
        "solutions": json.dumps(["a, b = map(int, input().split())\nprint(a + b)\n"]),
    }
    contests = {
        "description": "Echo.",
        "public_tests": {"input": ["x\n"], "output": ["x\n"]},
        "private_tests": {"input": ["y\n"], "output": ["y\n"]},
        "solutions": {
            "language": [2, 3],
            "solution": [
                "#include <iostream>\nint main(){std::string s;std::cin>>s;std::cout<<s;}\n",
                "print(input())\n",
            ],
        },
    }
    lcb = {
        "question_content": "Double it.",
        "public_test_cases": json.dumps([{"input": "2", "output": "4", "testtype": "functional"}]),
        "private_test_cases": json.dumps([{"input": "3", "output": "6", "testtype": "functional"}]),
        "metadata": json.dumps({"func_name": "double"}),
    }
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in (taco, contests, lcb)))
    languages = (Language.python, Language.cpp)
    problems = read_dataset(path, languages=languages, max_references=3).problems
    assert [p.source for p in problems] == ["taco", "code_contests", "livecodebench"]
    assert all(not p.error for p in problems), [p.error for p in problems]
    taco_p, contests_p, lcb_p = problems
    assert isinstance(taco_p.tests, StdioTestSet) and len(taco_p.tests.cases) == 1
    assert [r.language for r in taco_p.references] == [Language.python]
    assert isinstance(contests_p.tests, StdioTestSet) and len(contests_p.tests.cases) == 2
    assert [r.language for r in contests_p.references] == [Language.python, Language.cpp]
    assert isinstance(lcb_p.tests, CallTestSet) and lcb_p.tests.fn_name == "double"
    assert [c.expected for c in lcb_p.tests.cases] == [4, 6]
    assert lcb_p.references == ()  # LiveCodeBench publishes no solutions
