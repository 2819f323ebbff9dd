"""Output comparators: decide, on the host, whether a program's output equals the expected one.

A wrong answer must never compare equal, so every rule below is deliberately narrow.  The rules
are part of the grade: changing one means bumping its entry in `COMPARATOR_VERSIONS`.

Text (`compare_text`, stdio tests).  The program's stdout is decoded as UTF-8 with
``surrogateescape``: each invalid byte becomes a lone surrogate, which no valid text contains, so
invalid output can never equal valid expected text.  "\\r\\n" becomes "\\n" on both sides; a lone
"\\r" is kept.  Lines are split on "\\n" only; "whitespace" is Python's (`str.split`, `str.strip`).

- ``exact``: the decoded strings are equal, character for character.
- ``lines``: each line is stripped of surrounding whitespace (`str.strip`), then trailing empty
  lines are dropped; the line lists must be equal.  Leading and inner blank lines still count,
  and so do the spaces between tokens on a line.
- ``tokens``: the `str.split()` token lists are equal.
- ``float``: the token lists have equal length and each pair matches: equal strings; or two
  numerals (ASCII ``[+-]digits[.digits][e[+-]digits]``) where, when the expected one is an
  integer (``[+-]digits``), both have exactly the same value, however the actual one is written
  ("1000000007.0" and "1.000000007e9" equal "1000000007", "1000000008.0" does not), and
  otherwise ``|actual - expected| <= max(abs_tol, rel_tol * |expected|)`` as finite floats
  (a numeral that overflows a float is compared exactly instead); or the same special value
  (``inf``, ``-inf``, ``nan``, any spelling float() accepts), which equals no numeral.
- ``kattis``: the Kattis default output validator's rules, with its flags
  (`workers/judge/default_validator.py`).
- ``lcb``: LiveCodeBench's stdio rule.  Strip the whole output, split it into lines, strip each;
  the line counts must match and each line pair must be equal strings or equal token-for-token
  as exact `decimal.Decimal` values (so "1.0" equals "1"); a token that is not a Decimal, or is
  a NaN, fails the line.

Values (`compare_values`, function-call tests) are JSON-decoded.  A bool equals only a bool of
the same value; other numbers compare numerically (5 == 5.0); lists need equal length and equal
elements; objects need equal key sets and equal values; strings and null compare exactly; NaN
equals NaN.  Under ``float``, a number may differ from an expected number that is not an
integer within the tolerance above; an expected integer is matched exactly (1000000007.0 equals
1000000007, 1000000008.0 does not); under every other name numbers must be equal.  Anything that
is not a JSON value raises `TypeError`: it is a judge fault, not a verdict (the program's answer
is decoded with bounds first, `workers/judge/answers.py`).
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from functools import partial
from typing import Any

from crucible.schema import Comparator

_SHOWN = 60  # characters of a value shown in a detail
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_SPECIAL = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of one comparison; `detail` says where the outputs first differ."""

    equal: bool
    detail: str = ""


_EQUAL = Comparison(equal=True)


def compare_text(comparator: Comparator, expected: str, actual: bytes) -> Comparison:
    """Compare a program's raw stdout with the expected text under `comparator`'s rule."""
    if comparator.name == "kattis":  # on the raw bytes, as the validator reads them
        from workers.judge.default_validator import compare_kattis  # it builds on Comparison

        return compare_kattis(comparator, expected, actual)
    want = expected.replace("\r\n", "\n")
    got = actual.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
    return _TEXT_RULES[comparator.name](comparator, want, got)


def _compare_exact(comparator: Comparator, expected: str, actual: str) -> Comparison:
    # Lines keep their "\n", so the lists are equal exactly when the strings are.
    return _compare_items("line", _lines_with_ends(expected), _lines_with_ends(actual), _same)


def _compare_lines(comparator: Comparator, expected: str, actual: str) -> Comparison:
    return _compare_items("line", _significant_lines(expected), _significant_lines(actual), _same)


def _compare_tokens(comparator: Comparator, expected: str, actual: str) -> Comparison:
    return _compare_items("token", expected.split(), actual.split(), _same)


def _compare_floats(comparator: Comparator, expected: str, actual: str) -> Comparison:
    same = partial(_float_tokens_equal, comparator)
    return _compare_items("token", expected.split(), actual.split(), same)


def _compare_lcb(comparator: Comparator, expected: str, actual: str) -> Comparison:
    return _compare_items("line", _lcb_lines(expected), _lcb_lines(actual), _lcb_lines_equal)


_TEXT_RULES: dict[str, Callable[[Comparator, str, str], Comparison]] = {
    "exact": _compare_exact,
    "lines": _compare_lines,
    "tokens": _compare_tokens,
    "float": _compare_floats,
    "lcb": _compare_lcb,
}


def _same(expected: str, actual: str) -> bool:
    return expected == actual


def _lines_with_ends(text: str) -> list[str]:
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    return [*lines, pieces[-1]] if pieces[-1] else lines


def _significant_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _lcb_lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().split("\n")]


def _lcb_lines_equal(expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    want, got = _decimal_tokens(expected), _decimal_tokens(actual)
    return want is not None and got is not None and want == got


def _decimal_tokens(line: str) -> list[Decimal] | None:
    """The line's tokens as Decimals, or None when one is not a number."""
    # Trap explicitly: with the trap off, a bad token would quietly become NaN.
    with localcontext() as context:
        context.traps[InvalidOperation] = True
        try:
            values = [Decimal(token) for token in line.split()]
        except InvalidOperation:
            return None
    # A NaN never equals anything (and a signalling one raises on ==), as in LiveCodeBench.
    return None if any(value.is_nan() for value in values) else values


def _float_tokens_equal(comparator: Comparator, expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    if _SPECIAL.fullmatch(expected) or _SPECIAL.fullmatch(actual):
        both_special = bool(_SPECIAL.fullmatch(expected) and _SPECIAL.fullmatch(actual))
        return both_special and _same_float(float(expected), float(actual))
    if not (_NUMERAL.fullmatch(expected) and _NUMERAL.fullmatch(actual)):
        return False
    want, got = float(expected), float(actual)
    if _INTEGER.fullmatch(expected) or not (math.isfinite(want) and math.isfinite(got)):
        # An expected integer has no rounding error to forgive, however the program wrote its
        # number: with rel_tol, 1000000008.0 would pass for 1000000007 (issue 12); the exact
        # value 1000000007.0 still does.  A numeral past float range would turn into inf and
        # equal any other.
        return _decimals_equal(expected, actual)
    return _within_tolerance(comparator, want, got)


def _decimals_equal(expected: str, actual: str) -> bool:
    with localcontext() as context:
        context.traps[InvalidOperation] = True
        try:
            return Decimal(expected) == Decimal(actual)
        except InvalidOperation:  # an exponent beyond what Decimal can hold
            return False


def _same_float(expected: float, actual: float) -> bool:
    return expected == actual or (math.isnan(expected) and math.isnan(actual))


def _within_tolerance(comparator: Comparator, expected: float, actual: float) -> bool:
    """Finite floats only; the tolerance scales with the expected value, not the actual."""
    allowed = max(comparator.abs_tol, comparator.rel_tol * abs(expected))
    return abs(actual - expected) <= allowed


def _compare_items(
    unit: str, expected: list[str], actual: list[str], same: Callable[[str, str], bool]
) -> Comparison:
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if not same(want, got):
            return _text_difference(f"{unit} {index + 1}", want, got)
    common = min(len(expected), len(actual))
    where = f"{unit} {common + 1}"
    if len(expected) > common:
        return Comparison(False, f"{where}: expected {_show(expected[common])}, got end of output")
    if len(actual) > common:
        return Comparison(False, f"{where}: expected end of output, got {_show(actual[common])}")
    return _EQUAL


def _text_difference(where: str, expected: str, actual: str) -> Comparison:
    # Show both values from a little before their first difference, so long lines stay useful.
    start = max(0, _common_prefix_length(expected, actual) - _SHOWN // 3)
    shown = f"expected {_show(expected, start)}, got {_show(actual, start)}"
    return Comparison(False, f"{where}: {shown}")


def _common_prefix_length(first: str, second: str) -> int:
    index, limit, step = 0, min(len(first), len(second)), 64
    while index + step <= limit and first[index : index + step] == second[index : index + step]:
        index += step
    while index < limit and first[index] == second[index]:
        index += 1
    return index


def _show(text: str, start: int = 0) -> str:
    """Up to _SHOWN characters of `text` from `start`, quoted, with "..." where cut."""
    head = "..." if start > 0 else ""
    tail = "..." if start + _SHOWN < len(text) else ""
    return f"{head}{text[start : start + _SHOWN]!r}{tail}"


# A path is linked from its last step back to the root (None), so a step down costs O(1).
type _Path = tuple[_Path, int | str] | None
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    ((int, float), "number"),
    (str, "string"),
    (list, "list"),
    (dict, "object"),
    (type(None), "null"),
)
# Bounded, so a huge or deeply nested answer costs little to show and cannot overflow the stack.
_VALUE_REPR = reprlib.Repr(maxlevel=4, maxlist=8, maxdict=6, maxstring=_SHOWN, maxother=_SHOWN)


def compare_values(comparator: Comparator, expected: Any, actual: Any) -> Comparison:
    """Compare two JSON-decoded values; `detail` names the path of the first difference."""
    # Iterative, not recursive: a candidate's deeply nested answer must not crash the judge.
    pending: list[tuple[_Path, Any, Any]] = [(None, expected, actual)]
    while pending:
        path, want, got = pending.pop()
        problem = _node_difference(comparator, want, got)
        if problem:
            return Comparison(False, f"at {_format_path(path)}: {problem}" if path else problem)
        pending.extend(reversed(_children(path, want, got)))
    return _EQUAL


def _node_difference(comparator: Comparator, expected: Any, actual: Any) -> str:
    """Why these two values differ at this node, ignoring their children; "" if they do not."""
    kind = _json_kind(expected)
    if kind != _json_kind(actual):
        return _value_mismatch(expected, actual)
    if kind == "list" and len(expected) != len(actual):
        return f"expected a list of length {len(expected)}, got length {len(actual)}"
    if kind == "object":
        missing = [key for key in expected if key not in actual]
        if missing:
            return f"missing key {_show_value(missing[0])}"
        extra = [key for key in actual if key not in expected]
        return f"unexpected key {_show_value(extra[0])}" if extra else ""
    if kind == "number":
        same = _numbers_equal(comparator, expected, actual)
    elif kind == "list":
        same = True  # its elements are compared one by one, as children
    else:
        same = expected == actual
    return "" if same else _value_mismatch(expected, actual)


def _json_kind(value: Any) -> str:
    # bool before number: bool is an int subclass, and JSON true must not equal 1.
    if isinstance(value, bool):
        return "bool"
    for cls, kind in _JSON_KINDS:
        if isinstance(value, cls):
            return kind
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _children(path: _Path, expected: Any, actual: Any) -> list[tuple[_Path, Any, Any]]:
    if isinstance(expected, list):
        return [((path, i), want, actual[i]) for i, want in enumerate(expected)]
    if isinstance(expected, dict):
        return [((path, key), want, actual[key]) for key, want in expected.items()]
    return []


def _numbers_equal(comparator: Comparator, expected: int | float, actual: int | float) -> bool:
    if expected == actual:  # exact, int against float included
        return True
    if _is_nan(expected) or _is_nan(actual):
        return _is_nan(expected) and _is_nan(actual)
    if comparator.name != "float" or isinstance(expected, int):
        return False  # an expected integer has no rounding error to forgive (issue 12)
    try:
        want, got = float(expected), float(actual)
    except OverflowError:  # an int past float range: only exact equality counts
        return False
    if not (math.isfinite(want) and math.isfinite(got)):
        return False  # an infinity equals only itself, checked above
    return _within_tolerance(comparator, want, got)


def _is_nan(value: int | float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _value_mismatch(expected: Any, actual: Any) -> str:
    return f"expected {_show_value(expected)}, got {_show_value(actual)}"


def _show_value(value: Any) -> str:
    shown = _VALUE_REPR.repr(value)
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "..."


def _format_path(path: _Path) -> str:
    """The path as `[2]['key']`, keeping only its last steps when it is long."""
    steps: list[str] = []
    width = 0
    while path is not None:
        path, segment = path
        step = f"[{_show_value(segment)}]"
        if steps and width + len(step) > _SHOWN:
            steps.append("...")
            break
        steps.append(step)
        width += len(step)
    return "".join(reversed(steps))
