"""MBPP+ plus inputs as call tests: the oracle program and the test sets it yields."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from crucible.datasets import (
    OracleAnswers,
    mbpp_plus_call_submission,
    mbpp_plus_call_testset,
    mbpp_plus_inputs,
    mbpp_plus_oracle,
    parse_oracle_output,
    read_jsonl,
)

MBPP_PLUS = (
    Path(__file__).resolve().parents[3] / "shared" / "datasets" / "evalplus" / "MbppPlus.jsonl"
)


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, Any]]:
    if not MBPP_PLUS.is_file():
        pytest.fail(f"MBPP+ not found at {MBPP_PLUS}")
    return {row["task_id"]: row for row in read_jsonl(MBPP_PLUS)}


def oracle(row: dict[str, Any], **options: Any) -> OracleAnswers:
    run = subprocess.run(
        ["/usr/bin/python3", "-"],
        input=mbpp_plus_oracle(row, **options),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin"},
        check=True,
    )
    return parse_oracle_output(run.stdout)


def test_every_input_of_a_plain_task_becomes_a_call_test(rows: dict[str, dict[str, Any]]) -> None:
    row = rows["Mbpp/3"]
    answers = oracle(row)
    assert answers.skipped == {}
    tests = mbpp_plus_call_testset(row, answers)
    inputs = mbpp_plus_inputs(row)
    assert tests.fn_name == row["entry_point"] and len(tests.cases) == len(inputs)
    assert [c.args for c in tests.cases] == inputs
    assert len(
        mbpp_plus_call_testset(row, oracle(row, include_base=False), include_base=False).cases
    ) == len(row["plus_input"])


def test_tuples_become_lists_and_sets_are_skipped_with_why(rows: dict[str, dict[str, Any]]) -> None:
    answers = oracle(rows["Mbpp/2"])  # returns tuple(set(...)): plain data, as lists
    assert answers.skipped == {} and all(isinstance(v, list) for v in answers.outputs.values())
    sets = {
        "prompt": "",
        "entry_point": "f",
        "canonical_solution": (
            "def f(n):\n    if n > 1:\n        while True: pass\n    return {n} if n else n\n"
        ),
        "base_input": [[0]],
        "plus_input": [[1], [2]],
    }
    answers = oracle(sets, time_limit_s=0.2)
    assert answers.outputs == {0: 0}
    assert answers.skipped[1].startswith("TypeError: a set")
    assert answers.skipped[2].startswith("TimeoutError")


def test_answers_out_of_range_or_empty_are_refused(rows: dict[str, dict[str, Any]]) -> None:
    row = rows["Mbpp/3"]
    with pytest.raises(ValueError, match="does not have"):
        mbpp_plus_call_testset(row, OracleAnswers({10_000: 1}, {}))
    with pytest.raises(ValueError, match="none"):
        mbpp_plus_call_testset(row, OracleAnswers({}, {0: "TypeError"}))
    with pytest.raises(ValueError, match="oracle"):
        parse_oracle_output("Traceback ...")


def test_the_tolerance_is_the_tasks_atol(rows: dict[str, dict[str, Any]]) -> None:
    row = next(r for r in rows.values() if r["atol"])
    answers = OracleAnswers({0: 1.0}, {})
    submission = mbpp_plus_call_submission(row, answers, code="x = 1\n")
    assert submission.comparator.name == "float"
    assert submission.comparator.abs_tol == row["atol"] and submission.code == "x = 1\n"
