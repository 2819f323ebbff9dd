"""The `kattis` comparator: the Kattis default output validator's rules, on the raw bytes.

Kattis judges a problem without a validator of its own by comparing tokens, and its flags
(problem.yaml's `validator_flags`) are the comparator's fields:

- Tokens are split on C's whitespace (space, \\t, \\n, \\v, \\f, \\r), byte for byte; every
  other byte (UTF-8 or not, NUL included) belongs to a token.
- Tokens compare ASCII-case-insensitively (strcasecmp), or exactly with `case_sensitive`.
- Any run of whitespace equals any other, unless `space_change_sensitive`: then the output's
  whitespace must be the answer's, byte for byte, before, between and after the tokens.
- With `float_absolute_tolerance` or `float_relative_tolerance` (or both: either suffices),
  an answer token that is a finite number as C's strtod reads it (decimal or hexadecimal,
  integers included, so "2.0e2" matches "200") is matched by an output token that is one too,
  within |answer - output| <= absolute or <= relative * |answer|.  Other tokens compare as
  text.
- Output missing tokens, or with tokens past the answer's, is wrong.

Like the validator, it never strips a "\\r": in the default mode it is whitespace like any
other.
"""

from __future__ import annotations

import math
import re

from crucible.schema import Comparator
from workers.judge.comparators import Comparison

_SPACE = rb"[ \t\n\v\f\r]+"
_TOKENS = re.compile(_SPACE)
_PIECES = re.compile(b"(" + _SPACE + b")")
_DECIMAL = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX = re.compile(rb"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?")
_SHOWN = 40
_EQUAL = Comparison(equal=True)


def compare_kattis(comparator: Comparator, expected: str, actual: bytes) -> Comparison:
    """Compare a program's raw stdout with the answer as Kattis's default validator does."""
    answer = expected.encode("utf-8", "surrogateescape")
    if comparator.space_change_sensitive:
        return _compare_spaced(comparator, answer, actual)
    want = [token for token in _TOKENS.split(answer) if token]
    got = [token for token in _TOKENS.split(actual) if token]
    for index, (judge, team) in enumerate(zip(want, got, strict=False)):
        problem = _token_problem(comparator, judge, team)
        if problem:
            return Comparison(False, f"token {index + 1}: {problem}")
    return _ends(want, got)


def _compare_spaced(comparator: Comparator, answer: bytes, actual: bytes) -> Comparison:
    # Split keeping the whitespace runs: tokens at even places, whitespace at odd ones.
    want, got = _PIECES.split(answer), _PIECES.split(actual)
    for index, (judge, team) in enumerate(zip(want, got, strict=False)):
        if index % 2:
            if judge != team:
                return Comparison(
                    False, f"whitespace {index // 2 + 1}: expected {judge!r}, got {team!r}"
                )
            continue
        if not judge or not team:  # at either end, where one side has no token
            if judge != team:
                return Comparison(False, f"token {index // 2 + 1}: {_pair(judge, team)}")
            continue
        problem = _token_problem(comparator, judge, team)
        if problem:
            return Comparison(False, f"token {index // 2 + 1}: {problem}")
    return _ends(want, got)


def _token_problem(comparator: Comparator, judge: bytes, team: bytes) -> str:
    """Why the output token `team` does not match the answer token `judge`; "" if it does."""
    tolerant = (
        comparator.float_absolute_tolerance is not None
        or comparator.float_relative_tolerance is not None
    )
    value = _number(judge) if tolerant else None
    if value is not None:
        other = _number(team)
        if other is None:
            return f"expected a number near {_text(judge)}, got {_text(team)}"
        if _within(comparator, value, other):
            return ""
        return f"{_pair(judge, team)} (difference {abs(value - other):g})"
    same = judge == team if comparator.case_sensitive else judge.lower() == team.lower()
    return "" if same else _pair(judge, team)


def _within(comparator: Comparator, judge: float, team: float) -> bool:
    difference = abs(judge - team)  # inf for far-apart huge values: within nothing
    absolute, relative = comparator.float_absolute_tolerance, comparator.float_relative_tolerance
    if absolute is not None and difference <= absolute:
        return True
    return relative is not None and difference <= relative * abs(judge)


def _number(token: bytes) -> float | None:
    """The token as a finite float, read as strtod reads a whole token; None if it is not
    one (an infinity, a NaN or an overflow is not a number here, as for the validator)."""
    try:
        if _DECIMAL.fullmatch(token):
            value = float(token)
        elif _HEX.fullmatch(token):
            value = float.fromhex(token.decode("ascii"))
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _ends(want: list[bytes], got: list[bytes]) -> Comparison:
    common = min(len(want), len(got))
    if len(want) > common:
        return Comparison(False, f"expected {_text(want[common])}, got end of output")
    if len(got) > common:
        return Comparison(False, f"expected end of output, got {_text(got[common])}")
    return _EQUAL


def _pair(judge: bytes, team: bytes) -> str:
    return f"expected {_text(judge)}, got {_text(team)}"


def _text(token: bytes) -> str:
    shown = token[:_SHOWN].decode("utf-8", "backslashreplace")
    return repr(shown) + ("..." if len(token) > _SHOWN else "")
