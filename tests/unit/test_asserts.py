"""Assert-kind preparation on the host: what one test is."""

from __future__ import annotations

import pytest

from crucible.schema import AssertTestSet
from workers.judge.asserts import program_names, split_asserts
from workers.judge.errors import BadTestSet


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
    ("code", "entry_point", "takes"),
    [
        # MBPP tests a function named like a builtin: the test means the program's.
        ("assert sum(10, 15) == 25\nassert sum(1, 2) == 3\n", None, ["sum"]),
        # A builtin wrapped around the function under test is a checker: it stays the builtin.
        ("assert abs(area(2) - 12.56) < 0.01\n", None, ["area"]),
        ("assert set(similar(1, 2)) == set((4, 5))\n", None, ["similar"]),
        # LeetCode: the test needs Solution (and binds check itself), never `sorted`.
        (
            "def check(c):\n    assert sorted(c([2])) == [2]\n\ncheck(Solution().f)\n",
            None,
            ["Solution"],
        ),
        # HumanEval: the entry point, and helpers of the prompt the test reads (HumanEval/32).
        ("def check(c):\n    assert abs(c(3.5) - 0.5) < 1e-6\n", "trunc", ["trunc"]),
        (
            "import math\ndef check(c):\n    assert math.fabs(poly([1], c([1]))) < 1\n",
            "find_zero",
            ["find_zero", "poly"],
        ),
        # No other name from the program, but two builtins: which is under test is unknown.
        ("assert max(abs(-3), 2) == 3\n", None, []),
        # Names the test binds itself (imports, assignments, defs, classes) are its own.
        (
            "import math\nX = 2\ndef h():\n    return X\nclass K:\n    y = g()\n"
            "assert f(h()) == math.pi\n",
            None,
            ["f", "g"],
        ),
    ],
)
def test_program_names_come_from_the_test_alone(
    code: str, entry_point: str | None, takes: list[str]
) -> None:
    assert list(program_names(AssertTestSet(code=code, entry_point=entry_point))) == takes


def test_program_names_of_broken_test_code_is_a_bad_testset() -> None:
    with pytest.raises(BadTestSet):
        program_names(AssertTestSet(code="assert f(\n"))
