"""Assert-kind test programs, split into tests on the host.

Inside the jail each test runs in a process of its own that reaches the program only
through calls (`workers/judge/inside/rpc.py`); this module only decides what one test is.
"""

from __future__ import annotations

import ast
import builtins
import symtable
import warnings
from functools import lru_cache

from crucible.schema import AssertTestSet
from workers.judge.errors import BadTestSet


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


# Per test set, not per job: a prompt's samples share one, and LeetCode's tests are long.
@lru_cache(maxsize=256)
def program_names(spec: AssertTestSet) -> tuple[str, ...]:
    """The names the test takes from the program, decided by the test alone (issue 12).

    They are what the test needs and does not bind itself: its entry point (HumanEval) and
    the globals its code reads without binding (MBPP's functions, LeetCode's `Solution`,
    HumanEval's helpers such as `poly`), never what the program's source looks like.  A
    builtin name stays the builtin, so a program's `set`, `abs` or `sorted` cannot become the
    test's checker; only when the test reads no other name from the program is a builtin the
    function under test (MBPP task 126 asks for `sum`), and only when it calls exactly one
    builtin.  Then every use of that name in the test is the program's, as when the test runs
    after the program in one module.  (The prelude's names still win in the jail.)
    """
    wanted = _unbound_globals(spec.code)
    own = {name for name in wanted if not hasattr(builtins, name)}
    if spec.entry_point:
        own.add(spec.entry_point)  # named by the test set itself, whatever its name
    if own:
        return tuple(sorted(own))
    called = {
        node.func.id
        for node in ast.walk(_parse(spec.code))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    under_test = called & wanted
    return tuple(sorted(under_test)) if len(under_test) == 1 else ()


def _unbound_globals(code: str) -> set[str]:
    """Global names `code` reads, at module level or in its functions, and never binds."""
    _parse(code)  # a syntax error is the test set's, as BadTestSet
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        top = symtable.symtable(code, "<test>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    bound |= {s.get_name() for s in top.get_symbols() if s.is_namespace()}
    read: set[str] = set()
    scopes = [top]
    while scopes:
        scope = scopes.pop()
        for symbol in scope.get_symbols():
            at_top = scope is top or symbol.is_global()
            if at_top and symbol.is_referenced():
                read.add(symbol.get_name())
        scopes.extend(scope.get_children())
    return read - bound


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
