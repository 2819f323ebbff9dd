"""Assert-kind preparation on the host: what one test is."""

from __future__ import annotations

import pytest

from crucible.schema import AssertTestSet
from workers.asserts import defined_functions, shadowing_functions, split_asserts
from workers.errors import BadTestSet


def test_top_level_asserts_are_one_test_each_with_their_setup() -> None:
    spec = AssertTestSet(code="import math\nassert f(1) == 1\nX = 2\nassert f(X) == 4\n")
    tests = split_asserts(spec)
    assert len(tests) == 2
    assert "import math" in tests[0] and "X = 2" not in tests[0]
    assert "import math" in tests[1] and "X = 2" in tests[1]
    assert "f(1)" not in tests[1]


def test_entry_point_and_assertless_code_are_a_single_test() -> None:
    humaneval = AssertTestSet(
        code="def check(candidate):\n    assert candidate(1) == 2\n", entry_point="f"
    )
    leetcode = AssertTestSet(code="def check(c):\n    assert c(1) == 2\n\ncheck(Solution().f)\n")
    assert len(split_asserts(humaneval)) == 1
    assert len(split_asserts(leetcode)) == 1


def test_broken_test_code_is_a_bad_testset() -> None:
    with pytest.raises(BadTestSet):
        split_asserts(AssertTestSet(code="assert (\n"))


@pytest.mark.parametrize(
    ("program", "test", "shadowing"),
    [
        # MBPP tests a function named like a builtin: the test means the program's.
        ("def sum(a, b):\n    return a + b\n", "assert sum(10, 15) == 25", ["sum"]),
        # A builtin wrapped around the function under test is a checker: it stays the builtin.
        (
            "def area(r):\n    return 1\ndef abs(x):\n    return 0\n",
            "assert abs(area(2) - 12.56) < 0.01",
            [],
        ),
        ("def f(x):\n    return x\n", "assert f(1) == 1", []),
        ("def f(:\n", "assert f(1) == 1", []),
    ],
)
def test_shadowing_functions(program: str, test: str, shadowing: list[str]) -> None:
    assert shadowing_functions(defined_functions(program), test) == shadowing
