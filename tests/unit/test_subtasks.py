"""IOI-style scores: the arithmetic, what stop_on_first_failure skips, the schema's rules
for subtasks and graders, the content hash of test sets without them, the gateway's caps."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from pydantic import ValidationError

from crucible import schema
from crucible.schema import (
    Grader,
    Language,
    StdioCase,
    StdioTestSet,
    Submission,
    Subtask,
    Verdict,
)
from service.errors import PayloadTooLarge, TooManyFiles
from service.limits import check_testset
from service.settings import GatewaySettings
from workers.judge import subtasks as scoring
from workers.judge.graders import grader_files, grader_toolchain
from workers.judge.subtasks import Stopping, score_subtasks

CASES = [StdioCase(input=f"{i}\n", output=f"{i}\n") for i in range(5)]
GRADER = Grader(files={"grader.cpp": "int main() {}\n", "task.h": "int f();\n"})
PASSED, WRONG = Verdict.passed, Verdict.wrong_answer


def result(index: int, verdict: Verdict = PASSED, score: float | None = None) -> schema.TestResult:
    return schema.TestResult(index=index, verdict=verdict, score=score)


def parts(*groups: tuple[float, list[int]]) -> list[Subtask]:
    return [
        Subtask(name=f"s{n}", points=points, tests=tests)
        for n, (points, tests) in enumerate(groups)
    ]


def test_a_test_scores_one_passed_its_partial_credit_or_zero() -> None:
    assert scoring.test_score(result(0)) == 1
    assert scoring.test_score(result(0, WRONG, 0.25)) == 0.25
    assert scoring.test_score(result(0, Verdict.time_limit)) == 0


def test_a_subtask_scores_its_worst_test_and_the_total_sums_points() -> None:
    subtasks = parts((20, [0, 1]), (30, [2, 3]), (50, [0, 1, 2, 3, 4]))
    results = [result(0), result(1), result(2), result(3, WRONG, 0.5), result(4)]
    score = score_subtasks(subtasks, results)
    assert [p.score for p in score.subtasks] == [1, 0.5, 0.5]
    assert [p.earned for p in score.subtasks] == [20, 15, 25]
    assert (score.total, score.max) == (60, 100)
    full = score_subtasks(subtasks, [result(i) for i in range(5)])
    assert full.total == full.max == 100
    zero = score_subtasks(subtasks, [result(i, Verdict.runtime_error) for i in range(5)])
    assert zero.total == 0 and all(p.score == 0 for p in zero.subtasks)


def test_a_subtask_without_a_selected_test_is_left_out() -> None:
    score = score_subtasks(parts((40, [0]), (60, [1])), [result(0)])
    assert score.subtasks[1].score is None and score.subtasks[1].earned == 0
    assert (score.total, score.max) == (40, 40)


def test_without_subtasks_stopping_skips_everything_after_a_failure() -> None:
    stopping = Stopping(stop=True, subtasks=None)
    stopping.record(result(0))
    assert not stopping.skips(1)
    stopping.record(result(1, WRONG))
    assert stopping.skips(2) and stopping.skips(0)
    never = Stopping(stop=False, subtasks=None)
    never.record(result(1, WRONG))
    assert not never.skips(2)


def test_with_subtasks_stopping_skips_only_tests_whose_subtasks_are_all_at_zero() -> None:
    stopping = Stopping(stop=True, subtasks=parts((1, [0, 1]), (1, [2, 3]), (1, [1, 2, 4])))
    stopping.record(result(0, WRONG))  # subtask 0 is at 0
    assert stopping.skips(0) and not stopping.skips(1)  # test 1 is also in subtask 2
    assert not stopping.skips(2)
    stopping.record(result(2, WRONG, 0.5))  # partial credit: subtasks 1 and 2 may fall lower
    assert not stopping.skips(3) and not stopping.skips(4)
    stopping.record(result(3, Verdict.time_limit))
    assert not stopping.skips(1)  # subtask 2 still above 0
    stopping.record(result(4, WRONG))
    assert stopping.skips(1) and stopping.skips(3)


def test_subtasks_cover_every_case_with_real_indices() -> None:
    StdioTestSet(cases=CASES, subtasks=parts((1, [0, 1, 2]), (1, [2, 3, 4])))
    for bad, words in [
        (parts((1, [0, 1, 2, 3])), "test 4 is in no subtask"),
        (parts((1, [0, 1, 2, 3, 4, 5])), "does not have"),
        (parts((1, [0, 0, 1, 2, 3, 4])), "twice"),
        ([], "at least one"),
    ]:
        with pytest.raises(ValidationError, match=words):
            StdioTestSet(cases=CASES, subtasks=bad)
    with pytest.raises(ValidationError):
        Subtask(points=0, tests=[0])


def test_a_test_set_without_grader_or_subtasks_hashes_as_before() -> None:
    plain = StdioTestSet(cases=CASES)
    before = {"cases": [c.model_dump() for c in CASES], "kind": "stdio", "prelude": ""}

    expected = hashlib.sha256(
        json.dumps(before, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert schema.testset_hash(plain) == expected
    with_grader = StdioTestSet(cases=CASES, grader=GRADER)
    with_subtasks = StdioTestSet(cases=CASES, subtasks=parts((1, [0, 1, 2, 3, 4])))
    assert len({schema.testset_hash(t) for t in (plain, with_grader, with_subtasks)}) == 3


def test_a_grader_takes_c_and_cpp_programs_and_keeps_its_names() -> None:
    tests = StdioTestSet(cases=CASES, grader=GRADER)
    Submission(language=Language.c, code="x", tests=tests)
    with pytest.raises(ValidationError, match="take c and cpp programs"):
        Submission(language=Language.python, code="x", tests=tests)
    for name in ("main.cpp", "crucible_grader.h", "main"):
        with pytest.raises(ValidationError, match="the grader's build uses"):
            Grader(files={name: ""})
    with pytest.raises(ValidationError, match="part"):
        Grader(files={"../grader.cpp": ""})
    both = Grader(files={"grader.cpp": "", "lib.cc": "", "grader.c": "", "task.h": ""})
    assert both.sources(Language.cpp) == ["grader.cpp", "lib.cc"]
    assert both.sources(Language.c) == ["grader.c"]


def test_the_grader_build_carries_the_runtime_and_the_link_step() -> None:
    files = grader_files(GRADER)
    assert {"grader.cpp", "task.h", "crucible_grader.h", "crucible_link.py"} <= set(files)
    argv = grader_toolchain(Language.cpp, GRADER).build_argv("c++20", "long long solve();")
    config = json.loads(argv[-1])
    assert argv[1:3] == ["-I", "crucible_link.py"]
    assert config["source"] == "main.cpp" and config["graders"] == ["grader.cpp"]
    assert "-std=c++20" in config["flags"]


@pytest.mark.parametrize(
    ("files", "settings", "error", "words"),
    [
        ({"grader.cpp": "é" * 600}, {"max_grader_kb": 1}, PayloadTooLarge, "'grader.cpp'"),
        (
            {"a.cpp": "x" * 700, "b.h": "x" * 700},
            {"max_grader_total_kb": 1},
            PayloadTooLarge,
            "together",
        ),
        ({"a.cpp": "", "b.h": ""}, {"max_grader_files": 1}, TooManyFiles, "2 files"),
    ],
)
def test_the_gateway_caps_a_grader(
    files: dict[str, str], settings: dict[str, Any], error: type[Exception], words: str
) -> None:
    testset = StdioTestSet(cases=CASES, grader=Grader(files=files))
    with pytest.raises(error, match=words):
        check_testset(testset, GatewaySettings(**settings))
    check_testset(testset, GatewaySettings())
