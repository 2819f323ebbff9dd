"""Which tests run, in which order, and how the reward follows from their verdicts."""

from __future__ import annotations

import pytest

from crucible.schema import (
    CallCase,
    CallTestSet,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
)
from crucible.schema import TestOrder as Order
from workers.judge.grade import preloads, select_tests

STDIO = StdioTestSet(cases=[StdioCase(input="1" * n, output="x") for n in (3, 10, 1, 7)])


def submission(**policy: object) -> Submission:
    return Submission(code="pass", tests=STDIO, policy=Policy.model_validate(policy))


def test_given_order_keeps_indices() -> None:
    assert [t.index for t in select_tests(STDIO, submission())] == [0, 1, 2, 3]


def test_longest_input_first_then_cap() -> None:
    chosen = select_tests(STDIO, submission(order=Order.longest_input_first, max_tests=2))
    assert [t.index for t in chosen] == [1, 3]


def test_expected_outputs_stay_outside_the_command() -> None:
    calls = CallTestSet(fn_name="f", cases=[CallCase(args=[1], expected=424242)])
    (test,) = select_tests(calls, Submission(code="pass", tests=calls))
    assert test.expected == 424242
    assert "424242" not in str(test.payload)
    (stdio,) = select_tests(STDIO, submission(max_tests=1))
    assert stdio.payload == STDIO.cases[stdio.index].input  # its input only, the output stays


def test_content_key_ignores_nothing_that_changes_the_result() -> None:
    base = submission()
    assert base.content_key() == submission().content_key()
    assert base.content_key() != submission(max_tests=1).content_key()
    other_code = Submission(code="pass ", tests=STDIO)
    assert base.content_key() != other_code.content_key()


@pytest.mark.parametrize(
    "fields",
    [
        {"tests": STDIO},
        {"code": "x", "response": "y", "tests": STDIO},
        {"code": "x"},
        {"code": "x", "tests": STDIO, "testset": "0" * 64},
    ],
)
def test_a_submission_needs_exactly_one_program_and_one_testset(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Submission.model_validate(fields)


def test_preloads_are_the_listed_modules_a_source_imports() -> None:
    source = "import numpy as np, os\nfrom numpy.linalg import norm\n"
    source += "import numpyx\nfrom . import numpy\n"
    assert preloads(source) == ["numpy"]
    assert preloads("import os, sys\n# import numpy\n") == []
    assert preloads("x = 'import numpy'\n") == []
