"""Comparator rules, table by table: above all, that no wrong answer compares equal."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from crucible.schema import COMPARATOR_VERSIONS, Comparator
from workers.judge.comparators import Comparison, compare_text, compare_values

ALL = tuple(sorted(COMPARATOR_VERSIONS))


def _comparator(name: str = "lines", **tolerances: float) -> Comparator:
    # Through validation, as from the wire: the name is checked against the schema's names.
    return Comparator.model_validate({"name": name, **tolerances})


# Expected text, actual stdout, and the names under which they are equal (all others: unequal).
TEXT_CASES: list[tuple[str, str, bytes, set[str]]] = [
    ("identical", "1 2\n3\n", b"1 2\n3\n", set(ALL)),
    ("missing trailing newline", "5\n", b"5", set(ALL) - {"exact"}),
    ("extra trailing newline", "5", b"5\n", set(ALL) - {"exact"}),
    ("crlf output", "1\n2\n", b"1\r\n2\r\n", set(ALL)),
    ("crlf expected", "1\r\n2\r\n", b"1\n2\n", set(ALL)),
    ("lone cr is not a newline", "1\n2", b"1\r2", {"tokens", "float", "kattis"}),
    ("blank lines at end", "1\n2\n", b"1\n2\n\n\n", set(ALL) - {"exact"}),
    ("whitespace lines at end", "1\n2\n", b"1\n2\n \t\n  \n", set(ALL) - {"exact"}),
    ("blank line in middle", "1\n2\n", b"1\n\n2\n", {"tokens", "float", "kattis"}),
    ("blank line at start", "1\n", b"\n1\n", {"tokens", "float", "lcb", "kattis"}),
    ("trailing spaces on a line", "1 2\n", b"1 2   \n", set(ALL) - {"exact"}),
    ("leading spaces on a line", "a\n", b"  a\n", set(ALL) - {"exact"}),
    ("spaces between tokens", "a b\n", b"a  b\n", {"tokens", "float", "kattis"}),
    ("inner spaces differ", "a b\n", b"a  b\n", {"tokens", "float", "kattis"}),
    ("extra line", "1\n2\n", b"1\n2\n3\n", set()),
    ("missing line", "1\n2\n", b"1\n", set()),
    ("lines joined", "1\n2\n", b"1 2\n", {"tokens", "float", "kattis"}),
    ("wrong value", "5\n", b"6\n", set()),
    ("case differs", "YES\n", b"yes\n", {"kattis"}),
    ("empty both", "", b"", set(ALL)),
    ("empty expected, newline", "", b"\n", set(ALL) - {"exact"}),
    ("empty expected, output", "", b"0\n", set()),
    ("expected output, empty", "0\n", b"", set()),
    ("1.0 against 1", "1\n", b"1.0\n", {"float", "lcb"}),
    ("utf-8 text", "café\n", "café\n".encode(), set(ALL)),
    ("invalid byte alone", "ÿ\n", b"\xff\n", set()),
    ("invalid byte after answer", "5\n", b"5\xff\n", set()),
    ("invalid byte as extra token", "5\n", b"5 \xff\n", set()),
    ("latin-1 output", "café\n", b"caf\xe9\n", set()),
    ("nel byte is not whitespace", "1\n", b"1\x85\n", set()),
    ("nbsp byte is not whitespace", "1\n", b"1 \xa0\n", set()),
    ("truncated utf-8", "é\n", b"\xc3\n", set()),
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    ("expected", "actual", "equal_under"),
    [case[1:] for case in TEXT_CASES],
    ids=[case[0] for case in TEXT_CASES],
)
def test_text_trap(name: str, expected: str, actual: bytes, equal_under: set[str]) -> None:
    result = compare_text(_comparator(name), expected, actual)
    assert result.equal is (name in equal_under)
    assert (result.detail == "") is result.equal


# (expected, actual, equal) under `lcb` only.
LCB_CASES = [
    ("0.1", b"0.10000001", False),
    ("1", b"1.000", True),
    (".5", b"0.5", True),
    ("10", b"1e1", True),
    ("1", b"+1", True),
    ("0", b"-0", True),
    ("1 2", b"1    2", True),
    ("  1 2  \n\n", b"\n\n1 2", True),
    ("1 2", b"1 2 3", False),
    ("1 2", b"1\n2", False),
    ("abc 1", b"abc 1", True),
    ("abc 1", b"abc 1.0", False),  # "abc" is no Decimal, so the whole line fails
    ("nan", b"nan", True),  # equal strings
    ("nan", b"NaN", False),  # a NaN never equals a NaN
    ("snan", b"sNaN", False),
    ("inf", b"Infinity", True),
    ("inf", b"-inf", False),
    ("1", b"", False),
    ("", b"0", False),
    ("", b"  \n\n ", True),
    ("1e999999999999999999999", b"1e999999999999999999999", True),
    ("1e999999999999999999999", b"2e999999999999999999999", False),
]


@pytest.mark.parametrize(("expected", "actual", "equal"), LCB_CASES)
def test_lcb(expected: str, actual: bytes, equal: bool) -> None:
    assert compare_text(_comparator("lcb"), expected, actual).equal is equal


# (expected, actual, abs_tol, rel_tol, equal) under `float`; tolerances picked exact in binary.
FLOAT_CASES = [
    ("1.0", b"1.5", 0.5, 0.0, True),
    ("1.0", b"0.5", 0.5, 0.0, True),
    ("1.0", b"1.5000001", 0.5, 0.0, False),
    ("1.0", b"0.4999999", 0.5, 0.0, False),
    ("4.0", b"5.0", 0.0, 0.25, True),
    ("4.0", b"5.5", 0.0, 0.25, False),
    ("4.0", b"5.0", 0.0, 0.2, False),  # relative to the expected 4.0, not the actual 5.0
    ("5.0", b"4.0", 0.0, 0.2, True),
    ("4.0", b"5.0", 0.5, 0.25, True),  # the larger of the two tolerances wins
    ("4.0", b"4.75", 0.75, 0.125, True),
    ("4.0", b"4.875", 0.75, 0.125, False),
    ("0", b"0.0000005", 1e-6, 1e-6, False),  # an expected integer is matched exactly
    ("0.0", b"0.0000005", 1e-6, 1e-6, True),
    ("0", b"0.000002", 1e-6, 1e-6, False),
    ("0.333333", b"0.3333333333", 1e-6, 1e-6, True),
    ("0.33", b"0.333", 1e-6, 1e-6, False),
    ("1000000.0", b"1000000.5", 1e-6, 1e-6, True),
    ("1000000.0", b"1000001.5", 1e-6, 1e-6, False),
    ("1e6", b"1000000", 0.0, 0.0, True),
    ("-1.5", b"1.5", 1e-6, 1e-6, False),
    ("1.0 2.0", b"1.0000001\n2.0000001", 1e-6, 1e-6, True),
    ("1.0 2.0", b"1.0", 1e-6, 1e-6, False),
    ("1.0", b"1.0 2.0", 1e-6, 1e-6, False),
    # Integers get no tolerance: a relative one would pass a wrong modular answer.  The rule
    # follows the expected value, not how the program wrote its number (issue 12).
    ("1000000007", b"1000000008", 1e-6, 1e-6, False),
    ("1000000007", b"1000000008.0", 1e-6, 1e-6, False),
    ("1000000007", b"1.000000008e9", 1e-6, 1e-6, False),
    ("1000000007", b"1000000007.0000001", 1e-6, 1e-6, False),
    ("1000000007", b"1000000007.0", 1e-6, 1e-6, True),
    ("1000000007", b"1.000000007e9", 1e-6, 1e-6, True),
    ("1000000007", b"1000000007.000", 1e-6, 1e-6, True),
    ("42", b"42.", 1e-6, 1e-6, True),
    ("1000000007.0", b"1000000008", 1e-6, 1e-6, True),  # an expected float keeps its tolerance
    ("1000000007", b"+1000000007", 1e-6, 1e-6, True),
    ("-0", b"0", 1e-6, 1e-6, True),
    ("1" + "0" * 400, b"1" + b"0" * 399 + b"1", 1.0, 1.0, False),
    # Special values equal only the same special value, however it is spelled.
    ("nan", b"NaN", 1e-6, 1e-6, True),
    ("nan", b"-nan", 1e-6, 1e-6, True),
    ("inf", b"Infinity", 1e-6, 1e-6, True),
    ("-inf", b"-INF", 1e-6, 1e-6, True),
    ("inf", b"-inf", 1e-6, 1e-6, False),
    ("nan", b"inf", 1e-6, 1e-6, False),
    ("nan", b"0", 1e-6, 1e-6, False),
    ("0", b"nan", 1e6, 1e6, False),
    ("inf", b"1e308", 1e6, 1e6, False),
    ("inf", b"1e400", 1e6, 1e6, False),  # overflows a float, but is not spelled inf
    ("1e400", b"2e400", 1e6, 1e6, False),
    ("1e400", b"10e399", 0.0, 0.0, True),
    ("1e999999999999999999999", b"2e999999999999999999999", 1e6, 1e6, False),
    # Only plain ASCII numerals are numbers; the rest must match as strings.
    ("1", b"1a", 1e6, 1e6, False),
    ("abc", b"1", 1e6, 1e6, False),
    ("16", b"0x10", 1e6, 1e6, False),
    ("10", b"1_0", 1e6, 1e6, False),
    ("1", "١".encode(), 1e6, 1e6, False),
    ("1.", b"1", 0.0, 0.0, True),
    (".5", b"0.5", 0.0, 0.0, True),
    ("YES 1.0", b"YES 1.0000001", 1e-6, 1e-6, True),
    ("YES 1.0", b"yes 1.0", 1e6, 1e6, False),
    ("0.5", b"0.5\xff", 1e6, 1e6, False),
]


@pytest.mark.parametrize(("expected", "actual", "abs_tol", "rel_tol", "equal"), FLOAT_CASES)
def test_float_text(
    expected: str, actual: bytes, abs_tol: float, rel_tol: float, equal: bool
) -> None:
    comparator = _comparator("float", abs_tol=abs_tol, rel_tol=rel_tol)
    assert compare_text(comparator, expected, actual).equal is equal


TEXT_DETAILS = [
    ("lines", "1\n2\n5\n", b"1\n2\n6\n", "line 3: expected '5', got '6'"),
    ("lines", "1\n2\n", b"1\n2\n3\n", "line 3: expected end of output, got '3'"),
    ("lines", "1\n2\n", b"1\n", "line 2: expected '2', got end of output"),
    ("exact", "5\n", b"5", "line 1: expected '5\\n', got '5'"),
    ("tokens", "1 2 3", b"1 2 4", "token 3: expected '3', got '4'"),
    ("float", "1.0 2.0", b"1.0 2.5", "token 2: expected '2.0', got '2.5'"),
    ("lcb", "1\n0.1\n", b"1\n0.2", "line 2: expected '0.1', got '0.2'"),
    ("lines", "5\n", b"5\xff\n", "line 1: expected '5', got '5\\udcff'"),
]


@pytest.mark.parametrize(("name", "expected", "actual", "detail"), TEXT_DETAILS)
def test_text_detail(name: str, expected: str, actual: bytes, detail: str) -> None:
    assert compare_text(_comparator(name), expected, actual) == Comparison(False, detail)


def test_text_detail_shows_a_bounded_window_around_the_difference() -> None:
    expected = "a" * 500 + "X" + "b" * 500
    actual = ("a" * 500 + "Y" + "b" * 500).encode()
    detail = compare_text(_comparator("lines"), expected, actual).detail
    assert detail.startswith("line 1: expected ...'")
    assert "X" in detail
    assert "Y" in detail
    assert len(detail) < 200


def test_comparator_defaults_to_lines() -> None:
    assert Comparator.model_validate({}).name == "lines"
    assert compare_text(_comparator(), "1\n", b"1  \n\n").equal


def test_comparison_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Comparison(True).equal = False  # type: ignore[misc]


NAN, INF = math.nan, math.inf

# Expected, actual, and the names under which they are equal (all others: unequal).
VALUE_CASES: list[tuple[str, Any, Any, set[str]]] = [
    ("same int", 5, 5, set(ALL)),
    ("int and float", 5, 5.0, set(ALL)),
    ("float and int", 5.0, 5, set(ALL)),
    ("true against 1", True, 1, set()),
    ("1 against true", 1, True, set()),
    ("false against 0", False, 0, set()),
    ("true against 1.0", True, 1.0, set()),
    ("true against true", True, True, set(ALL)),
    ("true against false", True, False, set()),
    ("bools in a list", [True, False], [1, 0], set()),
    ("bool in an object", {"ok": True}, {"ok": 1}, set()),
    ("string against int", "1", 1, set()),
    ("strings exact", "a", "a ", set()),
    ("same string", "héllo", "héllo", set(ALL)),
    ("null", None, None, set(ALL)),
    ("null against 0", None, 0, set()),
    ("null against empty string", None, "", set()),
    ("null against false", None, False, set()),
    ("empty list against empty object", [], {}, set()),
    ("empty lists", [], [], set(ALL)),
    ("empty strings", "", "", set(ALL)),
    ("longer list", [1, 2], [1, 2, 3], set()),
    ("shorter list", [1, 2, 3], [1, 2], set()),
    ("list order", [1, 2], [2, 1], set()),
    ("nested list", [[1, 2], [3, 4]], [[1, 2], [3, 4.0]], set(ALL)),
    ("nested list differs", [[1, 2], [3, 4]], [[1, 2], [3, 5]], set()),
    ("object key order", {"a": 1, "b": 2}, {"b": 2, "a": 1}, set(ALL)),
    ("object missing key", {"a": 1, "b": 2}, {"a": 1}, set()),
    ("object extra key", {"a": 1}, {"a": 1, "b": None}, set()),
    ("close floats", 0.1 + 0.2, 0.3, {"float"}),
    ("close floats nested", {"x": [0.1 + 0.2]}, {"x": [0.3]}, {"float"}),
    ("int within tolerance of a float", 3, 3.0000001, set()),  # an expected int: exactly
    ("float within tolerance of an int", 3.0, 3.0000001, {"float"}),
    ("off-by-one float for an int", 1000000007, 1000000008.0, set()),
    ("exact float for an int", 1000000007, 1000000007.0, set(ALL)),
    ("float outside tolerance", 3.0, 3.01, set()),
    ("ints get no tolerance", 1000000007, 1000000008, set()),
    ("nan", NAN, NAN, set(ALL)),
    ("nan against 0", NAN, 0.0, set()),
    ("0 against nan", 0, NAN, set()),
    ("inf", INF, INF, set(ALL)),
    ("inf against -inf", INF, -INF, set()),
    ("inf against max float", INF, 1.7976931348623157e308, set()),
    ("huge ints", 10**400, 10**400, set(ALL)),
    ("huge ints differ", 10**400, 10**400 + 1, set()),
    ("huge int against max float", 10**400, 1.7976931348623157e308, set()),
    ("int beyond 2**53 against float", 2**53 + 1, 2.0**53, set()),
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    ("expected", "actual", "equal_under"),
    [case[1:] for case in VALUE_CASES],
    ids=[case[0] for case in VALUE_CASES],
)
def test_value_trap(name: str, expected: Any, actual: Any, equal_under: set[str]) -> None:
    result = compare_values(_comparator(name), expected, actual)
    assert result.equal is (name in equal_under)
    assert (result.detail == "") is result.equal


@pytest.mark.parametrize(
    ("expected", "actual", "abs_tol", "rel_tol", "equal"),
    [
        (1.0, 1.5, 0.5, 0.0, True),
        (1.0, 1.5000001, 0.5, 0.0, False),
        (4.0, 5, 0.0, 0.25, True),
        (4.0, 5.0, 0.0, 0.2, False),
        (5.0, 4.0, 0.0, 0.2, True),
        (5, 4.0, 0.0, 0.2, False),  # an expected integer is matched exactly (issue 12)
        ([1000000007, 2.5], [1000000008.0, 2.5], 1e-6, 1e-6, False),
        ([1000000007, 2.5], [1000000007.0, 2.5000001], 1e-6, 1e-6, True),
        (1.0, True, 1e6, 1e6, False),
        ([1.0, {"k": 2.0}], [1.25, {"k": 2.25}], 0.25, 0.0, True),
        ([1.0, {"k": 2.0}], [1.25, {"k": 2.5}], 0.25, 0.0, False),
    ],
)
def test_float_values(
    expected: Any, actual: Any, abs_tol: float, rel_tol: float, equal: bool
) -> None:
    comparator = _comparator("float", abs_tol=abs_tol, rel_tol=rel_tol)
    assert compare_values(comparator, expected, actual).equal is equal


VALUE_DETAILS = [
    ([[1, 2], [3, 4]], [[1, 2], [3, 5]], "at [1][1]: expected 4, got 5"),
    ([1, [2, 3], 4], [9, [2, 0], 4], "at [0]: expected 1, got 9"),
    ({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 3]}, "at ['b'][1]: expected 2, got 3"),
    ({"a": {"b": 1}}, {"a": {}}, "at ['a']: missing key 'b'"),
    ({"a": {}}, {"a": {"c": 1}}, "at ['a']: unexpected key 'c'"),
    ([1, 2, 3], [1, 2], "expected a list of length 3, got length 2"),
    ([True], [1], "at [0]: expected True, got 1"),
    (5, "5", "expected 5, got '5'"),
    ([], None, "expected [], got None"),
]


@pytest.mark.parametrize(("expected", "actual", "detail"), VALUE_DETAILS)
def test_value_detail(expected: Any, actual: Any, detail: str) -> None:
    assert compare_values(_comparator(), expected, actual) == Comparison(False, detail)


def test_value_detail_is_bounded() -> None:
    detail = compare_values(_comparator(), ["x" * 1000], [list(range(10**5))]).detail
    assert detail.startswith("at [0]: expected 'xxx")
    assert len(detail) < 200


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def test_deep_nesting_does_not_overflow_the_stack() -> None:
    depth = 100_000
    comparator = _comparator()
    assert compare_values(comparator, _nested(depth, 1), _nested(depth, 1)).equal
    result = compare_values(comparator, _nested(depth, 1), _nested(depth, 2))
    assert not result.equal
    assert result.detail.startswith("at ...[0]")
    assert result.detail.endswith("[0][0]: expected 1, got 2")
    assert len(result.detail) < 200
    shallow = compare_values(comparator, _nested(depth, 1), [[]])
    assert shallow == Comparison(False, "at [0]: expected a list of length 1, got length 0")
    mismatched = compare_values(comparator, 1, _nested(depth, 1)).detail
    assert mismatched.startswith("expected 1, got [[[[")
    assert len(mismatched) < 200


@pytest.mark.parametrize("value", [(1, 2), {1, 2}, b"1", object()])
def test_non_json_value_is_a_judge_fault(value: Any) -> None:
    with pytest.raises(TypeError, match="not a JSON value"):
        compare_values(_comparator(), value, value)
