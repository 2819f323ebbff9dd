"""A call test's answer as the program sent it, decoded outside the jail with bounds.

Whatever the program wrote to its result channel is data it chose: too large, too deeply
nested for a recursive parser, not UTF-8, not JSON, or JSON of the wrong shape.  Each of those
is the program's own runtime error (`MalformedAnswer`), never an exception of ours (issue 12).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

# The harness reads at most this much of the result channel (plus one byte, to see more).
MAX_ANSWER_BYTES = 1 << 20
# Far beyond any test's expected value, far below what a recursive parser survives.
MAX_ANSWER_DEPTH = 1000
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class MalformedAnswer(ValueError):
    """The program's answer is not a value the judge can compare: its runtime error."""


def decode_answer(data: bytes) -> Any:
    """The value in the result record `{"value": ...}` the program sent, within the bounds."""
    payload = load_bounded(data, max_bytes=MAX_ANSWER_BYTES, max_depth=MAX_ANSWER_DEPTH + 1)
    if not isinstance(payload, dict) or set(payload) != {"value"}:
        raise MalformedAnswer("the program wrote to the harness's result channel")
    return payload["value"]


def load_bounded(data: bytes, *, max_bytes: int, max_depth: int) -> Any:
    """`json.loads(data)`, refusing input over `max_bytes` or nested over `max_depth`."""
    if len(data) > max_bytes:
        raise MalformedAnswer(f"the return value is over {max_bytes} bytes as JSON")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedAnswer("the result channel holds bytes that are not UTF-8") from exc
    # Counting brackets is cheap, and no deeper than their count: most answers stop there.
    opening = text.count("[") + text.count("{")
    if opening > max_depth and nesting_depth(text) > max_depth:
        raise MalformedAnswer(f"the return value nests deeper than {max_depth - 1} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError; an int past int()'s limit
        raise MalformedAnswer(f"the result channel holds malformed JSON: {exc}"[:200]) from exc


def nesting_depth(text: str) -> int:
    """How deeply the brackets of JSON `text` nest, outside its strings; linear, not recursive.

    For text that is not JSON the count may be off, but json.loads refuses such text anyway."""
    skeleton = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, skeleton)), default=0)
