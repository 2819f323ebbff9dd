"""The `kattis` comparator: the Kattis default output validator's rules and flags, case by
case; above all, that no wrong output compares equal."""

from __future__ import annotations

import pytest

from crucible.schema import Comparator
from workers.judge.comparators import compare_text

DEFAULT = Comparator.kattis()
CASE = Comparator.kattis(["case_sensitive"])
SPACE = Comparator.kattis(["space_change_sensitive"])
FLOAT = Comparator.kattis(["float_tolerance", "1e-6"])
ABSOLUTE = Comparator.kattis(["float_absolute_tolerance", "0.01"])
RELATIVE = Comparator.kattis(["float_relative_tolerance", "0.01"])

# (name, comparator, answer, output, equal)
CASES: list[tuple[str, Comparator, str, bytes, bool]] = [
    ("tokens", DEFAULT, "1 2\n3\n", b"1\n2 3", True),
    ("case folds", DEFAULT, "Yes\n", b"YES\n", True),
    ("case kept", CASE, "Yes\n", b"YES\n", False),
    ("case kept, same", CASE, "Yes\n", b"Yes\n", True),
    ("only ascii folds", DEFAULT, "É\n", "é\n".encode(), False),
    ("cr is whitespace", DEFAULT, "1\n2\n", b"1\r\n2\r\n", True),
    ("vertical tab and form feed", DEFAULT, "1 2\n", b"1\x0b2\x0c", True),
    ("nbsp is not whitespace", DEFAULT, "1 2\n", b"1\xc2\xa02", False),
    ("nul is not whitespace", DEFAULT, "1\n", b"1\x00\n", False),
    ("missing token", DEFAULT, "1 2\n", b"1\n", False),
    ("extra token", DEFAULT, "1\n", b"1 2\n", False),
    ("empty both", DEFAULT, "", b"", True),
    ("whitespace only", DEFAULT, "", b" \n\n", True),
    ("no floats without a flag", DEFAULT, "1.0\n", b"1\n", False),
    ("float within", FLOAT, "0.5\n", b"0.5000001\n", True),
    ("float outside", FLOAT, "0.5\n", b"0.5001\n", False),
    ("integer answer is a float", FLOAT, "200\n", b"2.0e2\n", True),
    ("hexadecimal", FLOAT, "8\n", b"0x1p3\n", True),
    ("output must be a number", FLOAT, "8\n", b"eight\n", False),
    ("infinity is no number", FLOAT, "1e999\n", b"inf\n", False),
    ("nan is no number", FLOAT, "nan\n", b"nan\n", True),  # compared as text: equal
    ("nan never near", FLOAT, "1\n", b"nan\n", False),
    ("words compare as text", FLOAT, "Yes 1.0\n", b"yes 1\n", True),
    ("absolute only", ABSOLUTE, "100\n", b"100.009\n", True),
    ("absolute only, beyond", ABSOLUTE, "100\n", b"100.5\n", False),
    ("relative only", RELATIVE, "100\n", b"100.5\n", True),
    ("relative only, beyond", RELATIVE, "100\n", b"102\n", False),
    ("far apart huge values", FLOAT, "1e308\n", b"-1e308\n", False),
    ("underscores are not numbers", FLOAT, "1000\n", b"1_000\n", False),
    ("space kept", SPACE, "1 2\n", b"1 2\n", True),
    ("space doubled", SPACE, "1 2\n", b"1  2\n", False),
    ("newline missing", SPACE, "1 2\n", b"1 2", False),
    ("newline extra", SPACE, "1 2\n", b"1 2\n\n", False),
    ("leading space", SPACE, "1\n", b" 1\n", False),
    ("crlf against lf", SPACE, "1\n", b"1\r\n", False),
    ("space kept, tokens fold", SPACE, "a b\n", b"A B\n", True),
    ("space kept, empty", SPACE, "", b"", True),
]


@pytest.mark.parametrize(
    ("comparator", "answer", "output", "equal"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_kattis_rule(comparator: Comparator, answer: str, output: bytes, equal: bool) -> None:
    result = compare_text(comparator, answer, output)
    assert result.equal is equal
    assert (result.detail == "") is equal


def test_flags_are_read_as_the_validator_reads_them() -> None:
    both = Comparator.kattis(["float_tolerance", "1e-4", "case_sensitive"])
    assert both.float_absolute_tolerance == both.float_relative_tolerance == 1e-4
    assert both.case_sensitive and not both.space_change_sensitive
    for bad in (
        ["unknown"],
        ["float_tolerance"],
        ["float_tolerance", "x"],
        ["float_tolerance", "-1"],
    ):
        with pytest.raises(ValueError):
            Comparator.kattis(bad)


def test_the_flags_belong_to_the_kattis_comparator_alone() -> None:
    with pytest.raises(ValueError, match="kattis"):
        Comparator(name="tokens", case_sensitive=True)


def test_a_content_key_holds_the_flags_only_when_set() -> None:
    assert "case_sensitive" not in Comparator(name="lines").key()
    assert "float_relative_tolerance" not in DEFAULT.key()
    assert FLOAT.key()["float_relative_tolerance"] == 1e-6
    assert DEFAULT.key() != CASE.key()
