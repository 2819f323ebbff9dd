"""Sandbox behaviour tested by data: every folder under `cases/` is one case.

A case is a candidate program and the result the real judge must give it (layout in
`cases/README.md`); adding a case means adding a folder, never code here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from crucible.schema import Comparator, Limits, Policy, RewardResult, Status, TestSet, Verdict

CASES_DIR = Path(__file__).resolve().parent / "cases"
# Every folder is a case; hidden ones (a tool's cache) and __pycache__ are not.
CASE_NAMES = sorted(
    path.name for path in CASES_DIR.iterdir() if path.is_dir() and path.name[0] not in "._"
)

Grade = Callable[..., RewardResult]  # the `grade` fixture of conftest.py


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectation(_Strict):
    """What the judge must return for the case."""

    status: Status
    reward: Literal[0, 1]
    verdicts: list[Verdict] = Field(min_length=1, description="Per-test verdicts, result order.")
    indices: list[int] | None = Field(None, description="Test indices, result order.")
    message_contains: str | None = Field(
        None, description="Text in the message of the first test that did not pass."
    )


class Case(_Strict):
    """One case folder: `case.json` read through the wire schema, plus its `program.py`."""

    about: str = Field(min_length=1, description="One line: what the case shows.")
    tests: TestSet
    limits: Limits = Field(default_factory=Limits)
    policy: Policy = Field(default_factory=Policy)
    comparator: Comparator = Field(default_factory=Comparator)
    expect: Expectation
    program: str


def load_case(name: str) -> Case:
    folder = CASES_DIR / name
    spec = (folder / "case.json").read_text(encoding="utf-8")
    program = (folder / "program.py").read_text(encoding="utf-8")
    data = json.loads(spec)
    # The program lives in its own file; a `program` key in case.json is refused.
    if not isinstance(data, dict) or "program" in data:
        raise ValueError(f"{name}/case.json must be an object without a `program` key")
    return Case.model_validate({**data, "program": program})


def first_failure_message(result: RewardResult) -> str:
    failed = [test for test in result.tests if test.verdict != Verdict.passed]
    return failed[0].message if failed else ""


def test_cases_are_found() -> None:
    # A wrong CASES_DIR must not pass as "no cases, nothing failed".
    assert len(CASE_NAMES) >= 50


def test_each_kind_has_a_case_for_each_verdict() -> None:
    # Which verdicts each kind can give, so deleting the last case for one is noticed.
    required: dict[str, set[Verdict]] = {
        "stdio": set(Verdict),
        "call": set(Verdict) - {Verdict.no_code, Verdict.skipped},
        "assert": set(Verdict) - {Verdict.no_code, Verdict.output_limit},
    }
    seen: dict[str, set[Verdict]] = {kind: set() for kind in required}
    for name in CASE_NAMES:
        case = load_case(name)
        seen[case.tests.kind].update(case.expect.verdicts)
    for kind, verdicts in required.items():
        assert verdicts <= seen[kind], f"{kind}: no case for {sorted(verdicts - seen[kind])}"


@pytest.mark.parametrize("name", CASE_NAMES, ids=CASE_NAMES)
def test_case(name: str, grade: Grade) -> None:
    case = load_case(name)
    result = grade(
        case.program,
        case.tests,
        limits=case.limits,
        policy=case.policy,
        comparator=case.comparator,
    )
    expect = case.expect
    got = [test.verdict for test in result.tests]
    explain = f"{name}: verdicts {got}, messages {[test.message for test in result.tests]}"
    assert result.status == expect.status, explain
    assert got == expect.verdicts, explain
    assert result.reward == expect.reward, explain
    if expect.indices is not None:
        assert [test.index for test in result.tests] == expect.indices, explain
    if expect.message_contains is not None:
        assert expect.message_contains in first_failure_message(result), explain
