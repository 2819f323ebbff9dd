"""Assert-kind preparation on the host: splitting into tests and guarding comparisons."""

from __future__ import annotations

import ast

import pytest

from crucible.schema import AssertTestSet
from workers.asserts import PLAIN, TRUTH, guard_asserts, split_asserts
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


def test_guard_wraps_calls_operands_and_the_asserted_value() -> None:
    guarded = guard_asserts("assert candidate(2, 3) == 5, 'msg'\n")
    assert guarded.startswith(f"assert {TRUTH}(")
    assert f"{PLAIN}(candidate(2, 3))" in guarded
    assert f"{PLAIN}(5)" in guarded
    assert guarded.endswith(", 'msg'\n")
    ast.parse(guarded)


def test_guard_leaves_the_object_a_method_is_called_on_alone() -> None:
    guarded = guard_asserts("assert Solution().f(x=[1]) == [1]\n")
    assert f"{PLAIN}(Solution())" not in guarded
    assert f"{PLAIN}(Solution().f(x=[1]))" in guarded


def test_guard_keeps_non_ascii_source_and_code_outside_asserts() -> None:
    source = "s = 'é'\nassert g('ü', s) == 'x'\nprint(len(s))\n"
    guarded = guard_asserts(source)
    assert guarded.startswith("s = 'é'\n") and guarded.endswith("print(len(s))\n")
    assert f"{PLAIN}(g('ü', s))" in guarded


def test_guarded_code_still_judges_plain_values_the_same() -> None:
    def plain(value: object) -> object:
        return value

    source = (
        "def check(candidate):\n"
        "    assert abs(candidate(1.0) - 0.5) < 1e-6\n"
        "    assert not candidate(0.0) == 9\n"
    )
    namespace: dict[str, object] = {PLAIN: plain, TRUTH: bool}
    exec(compile(guard_asserts(source), "<test>", "exec"), namespace)
    namespace["check"](lambda x: 0.5)  # type: ignore[operator]
    with pytest.raises(AssertionError):
        namespace["check"](lambda x: 0.7)  # type: ignore[operator]


def test_broken_test_code_is_a_bad_testset() -> None:
    with pytest.raises(BadTestSet):
        split_asserts(AssertTestSet(code="assert (\n"))
