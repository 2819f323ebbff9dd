"""Assert-kind test programs, prepared on the host: split into tests, then guarded.

Guarding rewrites the test's source so that, inside the jail, every call's result, every
compared operand and every asserted value must be plain data (the harness's Guard checks
it): an object that only pretends to be equal, or truthy, fails the test.  The rewrite only
inserts text at node boundaries, so the source stays valid for whatever Python runs in the
jail, which may be older than ours.
"""

from __future__ import annotations

import ast

from crucible.schema import AssertTestSet
from workers.errors import BadTestSet

PLAIN = "__crucible_plain__"
TRUTH = "__crucible_truth__"


def split_asserts(spec: AssertTestSet) -> list[str]:
    """Test programs of an assert test set, one per test, already guarded.

    With an entry point (HumanEval) the whole code is one test.  Otherwise each top-level
    `assert` is a test, run after every non-assert statement that precedes it; code with no
    top-level assert (LeetCode's `check(Solution().f)`) is one test.
    """
    tree = _parse(spec.code)
    if spec.entry_point:
        return [guard_asserts(spec.code)]
    setup: list[str] = []
    tests: list[str] = []
    for node in tree.body:
        segment = ast.get_source_segment(spec.code, node) or ""
        if isinstance(node, ast.Assert):
            tests.append("\n".join([*setup, segment]))
        else:
            setup.append(segment)
    return [guard_asserts(source) for source in tests or [spec.code]]


def guard_asserts(source: str) -> str:
    spans = _Spans()
    spans.visit(_parse(source))
    return _wrap(source, spans.wraps)


def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise BadTestSet(f"test code does not parse: {exc}") from exc


class _Spans(ast.NodeVisitor):
    """Collects the expressions to wrap, and with which guard."""

    def __init__(self) -> None:
        self.wraps: list[tuple[ast.expr, str]] = []

    def visit_Assert(self, node: ast.Assert) -> None:
        self.wraps.append((node.test, TRUTH))
        self._expr(node.test)

    def _expr(self, node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            self.wraps.append((node, PLAIN))
            self._call_parts(node)
            return
        if isinstance(node, ast.Compare):
            self.wraps.extend((operand, PLAIN) for operand in [node.left, *node.comparators])
        for child in ast.iter_child_nodes(node):
            self._expr(child)

    def _call_parts(self, node: ast.Call) -> None:
        self._callee(node.func)
        for child in [*node.args, *node.keywords]:
            self._expr(child)

    def _callee(self, func: ast.expr) -> None:
        # `Solution().method(...)` or `make()(...)`: the object a call is made on is not a
        # value under test, so only the outer call's result is checked.
        target = func.value if isinstance(func, ast.Attribute) else func
        if isinstance(target, ast.Call):
            self._call_parts(target)
        else:
            self._expr(func)


def _wrap(source: str, wraps: list[tuple[ast.expr, str]]) -> str:
    data = source.encode()
    line_starts = [0]
    for line in data.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    inserts: list[tuple[int, int, int, int, bytes]] = []
    for order, (node, name) in enumerate(wraps):
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = line_starts[node.lineno - 1] + node.col_offset
        end = line_starts[node.end_lineno - 1] + node.end_col_offset
        # At one offset: closing parens first (inner spans first), then opening ones (outer
        # first); of two guards on one span, the one collected first is outside.
        inserts.append((end, 0, -start, -order, b")"))
        inserts.append((start, 1, -end, order, f"{name}(".encode()))
    inserts.sort()
    out = bytearray()
    cursor = 0
    for offset, _, _, _, text in inserts:
        out += data[cursor:offset] + text
        cursor = offset
    out += data[cursor:]
    return out.decode()
