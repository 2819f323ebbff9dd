"""Assert-kind test programs, split into tests on the host.

Inside the jail each test runs in a process of its own that reaches the program only
through calls (`workers/inside/rpc.py`); this module only decides what one test is.
"""

from __future__ import annotations

import ast
import builtins
import warnings

from crucible.schema import AssertTestSet
from workers.errors import BadTestSet


def split_asserts(spec: AssertTestSet) -> list[str]:
    """Test programs of an assert test set, one per test.

    With an entry point (HumanEval) the whole code is one test.  Otherwise each top-level
    `assert` is a test, run after every non-assert statement that precedes it; code with no
    top-level assert (LeetCode's `check(Solution().f)`) is one test.
    """
    tree = _parse(spec.code)
    if spec.entry_point:
        return [spec.code]
    setup: list[str] = []
    tests: list[str] = []
    for node in tree.body:
        segment = ast.get_source_segment(spec.code, node) or ""
        if isinstance(node, ast.Assert):
            tests.append("\n".join([*setup, segment]))
        else:
            setup.append(segment)
    return tests or [spec.code]


def defined_functions(program: str) -> frozenset[str]:
    """Top-level functions and classes of the program (none when it does not parse)."""
    try:
        body = _parse_quietly(program).body
    except SyntaxError:
        return frozenset()
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    return frozenset(node.name for node in body if isinstance(node, kinds))


def shadowing_functions(defined: frozenset[str], test: str) -> list[str]:
    """Program functions (`defined`) named like builtins that this test means to call.

    A test runs with the builtins, not with the program's globals, so that a program
    defining `abs` or `sorted` cannot change how the test checks it.  MBPP does test
    functions named `sum` or `max`, though: such a name is the program's when the test calls
    it and calls no other function of the program (which would make it a checker, as `abs` in
    `abs(area(2) - 12.57) < 0.01`).
    """
    if not any(hasattr(builtins, name) for name in defined):
        return []
    called = {
        node.func.id
        for node in ast.walk(_parse(test))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    under_test = defined & called
    shadowing = {name for name in under_test if hasattr(builtins, name)}
    return sorted(shadowing) if shadowing == under_test else []


def _parse(source: str) -> ast.Module:
    try:
        return _parse_quietly(source)
    except SyntaxError as exc:
        raise BadTestSet(f"test code does not parse: {exc}") from exc


def _parse_quietly(source: str) -> ast.Module:
    # Datasets are full of "\d" in plain strings: a SyntaxWarning each, which is not ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(source)
