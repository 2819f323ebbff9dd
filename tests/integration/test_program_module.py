"""The module a program runs as (issue 13): `__main__` for stdio, as bare; an imported module
for call and assert tests, as the graders of such tests import it, so that a correct program's
`if __name__ == "__main__":` block (which reads stdin, and would die on EOF) does not run.
Either way pickle and multiprocessing find the program's own classes and functions."""

from __future__ import annotations

import json

import pytest

from crucible.schema import AssertTestSet, CallCase, CallTestSet, StdioCase, StdioTestSet
from tests.integration.conftest import Grade
from tests.integration.hostile import assert_reward

# A correct LeetCode-style answer whose author left a stdin driver behind, as many do.
WITH_DRIVER = """
import pickle

class Pair:
    def __init__(self, a, b):
        self.a, self.b = a, b

def add(a, b):
    pair = pickle.loads(pickle.dumps(Pair(a, b)))   # its own class, by reference
    return pair.a + pair.b

if __name__ == "__main__":
    a, b = map(int, input().split())
    print(add(a, b))
"""
HUMANEVAL_TEST = """
def check(candidate):
    assert candidate(2, 3) == 5
    assert candidate(-1, 1) == 0
"""


def test_a_call_programs_main_block_does_not_run(grade: Grade) -> None:
    tests = CallTestSet(
        fn_name="add",
        cases=[CallCase(args=[2, 3], expected=5), CallCase(args=[-1, 1], expected=0)],
    )
    assert_reward(grade(WITH_DRIVER, tests), 1)


def test_an_assert_programs_main_block_does_not_run(grade: Grade) -> None:
    tests = AssertTestSet(code=HUMANEVAL_TEST, entry_point="add")
    assert_reward(grade(WITH_DRIVER, tests), 1)


def test_a_stdio_programs_main_block_runs(grade: Grade) -> None:
    tests = StdioTestSet(cases=[StdioCase(input="2 3\n", output="5\n")])
    assert_reward(grade(WITH_DRIVER, tests), 1)


@pytest.mark.parametrize("kind", ["call", "stdio"])
def test_multiprocessing_finds_the_programs_own_functions(grade: Grade, kind: str) -> None:
    code = """
import multiprocessing

def square(x):
    return x * x

def squares(n):
    with multiprocessing.Pool(2) as pool:
        return pool.map(square, range(n))

if __name__ == "__main__":
    print(squares(int(input())))
"""
    expected = [i * i for i in range(6)]
    if kind == "call":
        tests: CallTestSet | StdioTestSet = CallTestSet(
            fn_name="squares", cases=[CallCase(args=[6], expected=expected)]
        )
    else:
        tests = StdioTestSet(cases=[StdioCase(input="6\n", output=json.dumps(expected) + "\n")])
    assert_reward(grade(code, tests), 1)
