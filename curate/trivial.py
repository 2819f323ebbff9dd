"""Programs that know nothing about the problem: one that answers nothing and one that echoes
its input.  When either scores 1, the tests cannot tell a solution from no solution."""

from __future__ import annotations

import ast
import warnings

from crucible.schema import AnyTestSet, AssertTestSet, CallTestSet, StdioTestSet

SILENT = "silent"
ECHO = "echo"

_STDIO = {SILENT: "", ECHO: "import sys\nsys.stdout.write(sys.stdin.read())\n"}
_BODY = {SILENT: "return None", ECHO: "return args[0] if args else None"}


def trivial_programs(tests: AnyTestSet, reference: str) -> dict[str, str]:
    """The trivial programs for this test set, by name; Python, whatever the reference's
    language.  Call and assert tests get stubs of the functions (and `class Solution`
    methods) the reference defines, so the tests find what they call."""
    if isinstance(tests, StdioTestSet):
        return dict(_STDIO)
    names, methods = _definitions(reference)
    if isinstance(tests, CallTestSet):
        names.add(tests.fn_name)
        methods.setdefault("Solution", set()).add(tests.fn_name)
    elif isinstance(tests, AssertTestSet) and tests.entry_point:
        names.add(tests.entry_point)
    if not names and not methods:
        return {}
    return {kind: _stubs(names, methods, _BODY[kind]) for kind in (SILENT, ECHO)}


def parse_quietly(source: str) -> ast.Module:
    """`ast.parse` without the warnings old code raises (invalid escapes): not ours to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(source)


def _definitions(reference: str) -> tuple[set[str], dict[str, set[str]]]:
    """The reference's top-level function names, and its classes' method names."""
    try:
        body = parse_quietly(reference).body
    except (SyntaxError, ValueError):
        return set(), {}
    functions = {n.name for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    classes = {
        node.name: {
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef) and not item.name.startswith("__")
        }
        for node in body
        if isinstance(node, ast.ClassDef)
    }
    return functions, classes


def _stubs(functions: set[str], classes: dict[str, set[str]], body: str) -> str:
    lines: list[str] = []
    for name in sorted(functions):
        lines += [f"def {name}(*args, **kwargs):", f"    {body}", ""]
    for name, methods in sorted(classes.items()):
        lines.append(f"class {name}:")
        lines += ["    def __init__(self, *args, **kwargs):", "        pass"]
        for method in sorted(methods):
            lines += [f"    def {method}(self, *args, **kwargs):", f"        {body}"]
        lines.append("")
    return "\n".join(lines) + "\n"
