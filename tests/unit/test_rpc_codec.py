"""The in-jail codec that carries values between an assert test and the program."""

from __future__ import annotations

import collections
import math
import re
from typing import Any

import pytest

from workers.inside.rpc import MAX_DEPTH, BadMessage, Codec, Matched, Proxy, load_message


class Node:
    def __init__(self, val: int, nxt: Node | None = None) -> None:
        self.val = val
        self.next = nxt


CODEC = Codec({"Node": Node})


def roundtrip(value: Any) -> Any:
    return CODEC.decode(CODEC.encode(value))


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -(10**40),
        1.5,
        "é\n",
        [1, [2, (3, 4)]],
        (1, "a"),
        {1, 2},
        frozenset({"x"}),
        {"a": 1, 2: [3], (1, 2): None},
        b"\x00\xff",
        1 + 2j,
    ],
)
def test_builtin_values_keep_their_exact_type(value: Any) -> None:
    back = roundtrip(value)
    assert back == value
    assert type(back) is type(value)


def test_special_floats() -> None:
    assert math.isnan(roundtrip(float("nan")))
    assert roundtrip([float("inf"), float("-inf")]) == [math.inf, -math.inf]


def test_stdlib_containers_cross_by_value() -> None:
    counter = roundtrip(collections.Counter("aab"))
    assert type(counter) is collections.Counter and counter == {"a": 2, "b": 1}
    ordered = roundtrip(collections.OrderedDict([("b", 1), ("a", 2)]))
    assert type(ordered) is collections.OrderedDict and list(ordered) == ["b", "a"]
    assert roundtrip(collections.deque([1, 2])) == collections.deque([1, 2])
    assert roundtrip(collections.defaultdict(list, {"k": [1]})) == {"k": [1]}


def test_a_match_crosses_as_its_text_and_span() -> None:
    match = re.search("a+", "baab")
    assert match is not None
    back = roundtrip(match)
    assert isinstance(back, Matched) and back
    assert (back.group(0), back.span()) == ("aa", (1, 3))


def test_trusted_objects_keep_shared_and_cyclic_structure() -> None:
    a = Node(1)
    b = Node(2, a)
    a.next = b  # a cycle
    back = roundtrip([a, b])
    assert back[0].val == 1 and back[0].next is back[1] and back[1].next is back[0]
    assert type(back[0]) is Node


def test_untrusted_objects_are_refused_or_handed_over() -> None:
    class Sneaky(int):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = int.__hash__

    with pytest.raises(TypeError):
        CODEC.encode(Sneaky(3))
    handed: list[object] = []
    codec = Codec({}, handle=lambda v: handed.append(v) or {"$h": 7, "type": "Sneaky"})
    assert codec.encode([Sneaky(3)]) == [{"$h": 7, "type": "Sneaky"}]
    assert isinstance(handed[0], Sneaky)


def test_a_proxy_refuses_to_be_a_value() -> None:
    proxy = Proxy(remote=None, target=1, kind="an object")
    for use in (lambda: proxy == 5, lambda: bool(proxy), lambda: len(proxy), lambda: hash(proxy)):
        with pytest.raises(TypeError, match="from the program as a value"):
            use()


@pytest.mark.parametrize(
    "line",
    [
        # Replies the program may forge to the test's process (issue 12).
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b'{"value":' + b"[" * 3_000_000 + b"}",
        b'{"value":"\xff"}',
        b'{"value":',
        b'{"value":' + b"9" * 5000 + b"}",
    ],
    ids=["deep", "deeper-than-the-parser", "not-utf8", "cut", "long-int"],
)
def test_a_message_that_is_not_bounded_json_is_refused(line: bytes) -> None:
    with pytest.raises(BadMessage):
        load_message(line)
    # Not an Exception: no `except Exception` in a test can take it for an answer.
    assert not issubclass(BadMessage, Exception)


def test_messages_within_the_bounds_decode() -> None:
    deep = b"[" * 500 + b"]" * 500  # the jail's parser goes deeper than this host's
    assert load_message(b'{"value": "[[[", "after": [[1], {}]}') == {
        "value": "[[[",
        "after": [[1], {}],
    }
    assert load_message(deep) is not None
