"""A call test's answer, decoded on the host with bounds (issue 12)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workers.judge.answers import (
    MAX_ANSWER_BYTES,
    MAX_ANSWER_DEPTH,
    MalformedAnswer,
    decode_answer,
    nesting_depth,
)


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [None, 1, -(10**40), 1.5, float("inf"), "é]\"[", [1, [2]], {"a": {"b": [None]}},
     nested(MAX_ANSWER_DEPTH), [[0, 1]] * 50_000],
)  # fmt: skip
def test_values_within_the_bounds_decode(value: Any) -> None:
    data = json.dumps({"value": value}).encode()
    assert json.dumps(decode_answer(data)) == json.dumps(value)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (json.dumps({"value": nested(MAX_ANSWER_DEPTH + 1)}).encode(), "nests deeper"),
        (b'{"value":' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nests deeper"),
        (b'{"value":' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001, "nests deeper"),
        (b'{"value":"' + b"x" * MAX_ANSWER_BYTES + b'"}', "over"),
        (b'{"value":' + b"9" * 5000 + b"}", "malformed"),
        (b'{"value":[1,]}', "malformed"),
        (b'{"value":"\xff"}', "not UTF-8"),
        (b'\xff\xfe{\x00"\x00', "not UTF-8"),
        (b'{"value":1,"more":2}', "result channel"),
        (b"[1]", "result channel"),
        (b"null", "result channel"),
    ],
)
def test_a_malformed_answer_is_the_programs(data: bytes, why: str) -> None:
    with pytest.raises(MalformedAnswer, match=why):
        decode_answer(data)


def test_brackets_inside_strings_do_not_count() -> None:
    assert nesting_depth('["[[[[", "\\"]]]", {"k": "{{"}]') == 2
    assert nesting_depth("5") == 0
    # Deep brackets that are only text are not depth: such an answer decodes.
    text = json.dumps({"value": "[" * 100_000})
    assert decode_answer(text.encode()) == "[" * 100_000
