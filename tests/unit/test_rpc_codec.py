"""The in-jail codec that carries values between an assert test and the program, and the
calls that carry them (a program served on a thread over real pipes)."""

from __future__ import annotations

import array
import collections
import contextlib
import datetime
import decimal
import fractions
import itertools
import json
import math
import os
import re
import threading
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from workers.judge.inside.rpc import (
    MAX_DEPTH,
    BadMessage,
    Channel,
    Codec,
    Matched,
    ProgramGone,
    Proxy,
    Remote,
    RemoteIterator,
    load_message,
    serve_program,
)
from workers.judge.inside.stdvalues import MAX_NAMEDTUPLES


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
    # Not an Exception: no `except Exception` in a test can take it for an answer, nor the
    # program's exit (issue 13).
    assert not issubclass(BadMessage, Exception)
    assert not issubclass(ProgramGone, Exception)


def test_messages_within_the_bounds_decode() -> None:
    deep = b"[" * 500 + b"]" * 500  # the jail's parser goes deeper than this host's
    assert load_message(b'{"value": "[[[", "after": [[1], {}]}') == {
        "value": "[[[",
        "after": [[1], {}],
    }
    assert load_message(deep) is not None


# -- standard value types (issue 13) -----------------------------------------------------------

UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2), "CEST")
UNHASHABLE = (bytearray, types.SimpleNamespace, array.array, collections.deque)


@pytest.mark.parametrize(
    "value",
    [
        fractions.Fraction(-7, 3),
        fractions.Fraction(10**300, 7),
        decimal.Decimal("3.140"),
        decimal.Decimal("-0"),
        decimal.Decimal("1E+5"),
        decimal.Decimal("Infinity"),
        decimal.Decimal("0.1000000000000000055511151231257827021181583404541015625"),
        bytearray(b"\x00ab"),
        range(3, -10, -2),
        range(10**30),
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 2, 29, 23, 59, 1, 5),
        datetime.datetime(2024, 2, 29, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=UTC_PLUS_2),
        datetime.time(7, 30, 0, 12, tzinfo=UTC_PLUS_2),
        datetime.timedelta(days=-3, seconds=5, microseconds=7),
        UTC_PLUS_2,
        datetime.timezone(datetime.timedelta(minutes=-90)),
        array.array("i", [1, -2, 3]),
        array.array("d", [0.5, math.inf]),
        array.array("b", [-1, 2]),
        types.SimpleNamespace(x=1, y=[2]),
        collections.deque([1, 2], maxlen=3),
    ],
    ids=repr,
)
def test_standard_values_cross_as_the_same_standard_type(value: Any) -> None:
    back = roundtrip(value)
    assert type(back) is type(value)
    assert back == value and repr(back) == repr(value)
    if type(value) not in UNHASHABLE:
        assert hash(back) == hash(value)


def test_a_decimal_keeps_its_digits_and_special_values() -> None:
    assert str(roundtrip(decimal.Decimal("2.50"))) == "2.50"
    assert roundtrip(decimal.Decimal("NaN")).is_nan()
    assert roundtrip(decimal.Decimal("-sNaN")).is_snan()


def test_values_behave_in_the_test_as_the_originals() -> None:
    half = roundtrip(fractions.Fraction(1, 2))
    assert half == 0.5 and half.numerator == 1 and math.isclose(half, 0.5)
    assert roundtrip(decimal.Decimal(3)) == 3
    span = roundtrip(range(0, 10, 2))
    assert len(span) == 5 and list(span) == [0, 2, 4, 6, 8] and 4 in span
    assert roundtrip(bytearray(b"ab")) == b"ab"
    assert roundtrip(datetime.date(2024, 1, 1)) - datetime.date(2023, 12, 31) == (
        datetime.timedelta(days=1)
    )


def test_dict_views_cross_as_views_of_a_plain_dict() -> None:
    source = collections.OrderedDict([("b", 1), ("a", [2])])
    keys, values, items = (roundtrip(v) for v in (source.keys(), source.values(), source.items()))
    assert type(keys) is type({}.keys()) and keys == {"a", "b"} and list(keys) == ["b", "a"]
    assert type(items) is type({}.items()) and list(items) == [("b", 1), ("a", [2])]
    assert type(values) is type({}.values()) and list(values) == [1, [2]]
    assert values != [1, [2]]  # as in one process: a values view equals only itself
    assert {1: 2}.items() == roundtrip({1: 2}.items()) == {(1, 2)}


Point = collections.namedtuple("Point", "x y")


class Pair(typing.NamedTuple):
    left: int
    right: str = "r"


class Named(Point):
    def __eq__(self, other: object) -> bool:  # the sender's class is never the receiver's
        return True

    __hash__ = Point.__hash__


@pytest.mark.parametrize("value", [Point(1, [2]), Pair(3), Named(4, 5)], ids=repr)
def test_a_namedtuple_crosses_as_a_fresh_namedtuple_of_its_names(value: Any) -> None:
    back = roundtrip(value)
    assert type(back) is not type(value) and type(back).__name__ == type(value).__name__
    assert back == tuple(value) and back._fields == value._fields
    assert back[0] == value[0] and getattr(back, value._fields[0]) == value[0]
    assert back != (0, 0) and back._asdict() == dict(zip(value._fields, value, strict=True))


def test_namedtuple_classes_are_made_once_per_names() -> None:
    codec = Codec({})
    first, second = codec.decode(codec.encode([Point(1, 2), Point(3, 4)]))
    assert type(first) is type(second)
    assert hash(first) == hash((1, 2))


def test_a_zoned_datetime_that_is_not_a_fixed_offset_is_not_data() -> None:
    zone = ZoneInfo("UTC")
    with pytest.raises(TypeError):
        CODEC.encode(datetime.datetime(2024, 1, 1, tzinfo=zone))


@pytest.mark.parametrize(
    "data",
    [
        {"$F": [1, 0]},
        {"$F": [1.5, 2]},
        {"$F": [True, 2]},
        {"$E": "1E+999999"},
        {"$E": "1" * 5000},
        {"$E": "1_000"},
        {"$E": " 1"},
        {"$E": 5},
        {"$N": ["P", ["x", "class"], [1, 2]]},
        {"$N": ["P", ["_x"], [1]]},
        {"$N": ["P", ["x", "x"], [1, 2]]},
        {"$N": ["P", ["x"], [1, 2]]},
        {"$N": ["P-1", ["x"], [1]]},
        {"$N": ["P", "x y", [1, 2]]},
        {"$N": ["P", [f"f{i}" for i in range(300)], list(range(300))]},
        {"$N": ["P" * 200, ["x"], [1]]},
        {"$N": ["P", ["x = 0\nimport os"], [1]]},
        {"$R": [0, 1, 0]},
        {"$R": [0, 1]},
        {"$date": [2024, 13, 1]},
        {"$date": [True, 1, 1]},
        {"$datetime": [2024, 1, 1, 0, 0, 0, 0, 0]},
        {"$datetime": [2024, 1, 1, 0, 0, 0, 0, 0, [0, 0, 0]]},
        {"$time": [25, 0, 0, 0, 0, None]},
        {"$timedelta": [10**10, 0, 0]},
        {"$timezone": [1, 0, 0, "x"]},
        {"$timezone": [0, 0, 0, 5]},
        {"$A": ["x", [1]]},
        {"$A": ["i", [1.5]]},
        {"$B": 5},
        {"$K": [[1]]},
        {"$I": [[1]]},
        {"$S": [[1, 2]]},
        {"$q": [1], "max": -1},
        {"$nope": 1},
        {"$t": [1], "$s": [1]},
        {"$r": 0},
        {"$o": "Missing", "id": 0, "a": {}},
        {"$f": "x"},
        {"$h": [1]},
    ],
    ids=json.dumps,
)
def test_malformed_tagged_data_is_a_bad_message(data: Any) -> None:
    # The program's own failure: not an Exception any `except` in a test could take.
    with pytest.raises(BadMessage):
        Codec({}).decode(data, resolve=lambda tag, ref: None)


def test_a_process_makes_a_bounded_number_of_namedtuple_classes() -> None:
    codec = Codec({})
    many = [{"$N": [f"T{i}", ["x"], [i]]} for i in range(MAX_NAMEDTUPLES)]
    assert len(codec.decode(many)) == MAX_NAMEDTUPLES
    with pytest.raises(BadMessage):
        codec.decode({"$N": ["Another", ["x"], [0]]})


# -- iterators the program returns, served by a program on a thread (issue 13) -----------------

PROGRAM = """
import itertools, re

def evens():
    n = 0
    while True:
        yield n
        n += 2

def squares(xs):
    return map(lambda x: x * x, xs)

def words(text):
    return (w for w in text.split() if len(w) > 2)

def broken():
    yield 1
    raise KeyError("inside")

def returns():
    yield 1
    return "done"

def groups(text):
    return itertools.groupby(text)

def total(iterable):
    return sum(iterable)

def same(value):
    return [value, value]

def found(text):
    return re.finditer("a+", text)

def echo():
    received = yield "ready"
    yield received * 2

def counter():
    return {"a": 1}.keys().__iter__()
"""


@contextlib.contextmanager
def served(source: str = PROGRAM) -> Iterator[Callable[[str], Any]]:
    """The program's functions as a test process sees them, served over pipes by a thread."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(source, ns)
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    program = threading.Thread(
        target=serve_program, args=(ns, Channel(requests_r, replies_w), Codec({}))
    )
    program.start()
    remote = Remote(Channel(replies_r, requests_w), Codec({}))
    try:
        yield lambda name: Proxy(remote, name, "a function")
    finally:
        os.close(requests_w)  # the program's receive ends: ProgramGone, and it returns
        program.join(10)
        for fd in (requests_r, replies_r, replies_w):
            os.close(fd)


def test_an_iterator_crosses_lazily_and_works_as_in_one_process() -> None:
    with served() as program:
        assert list(itertools.islice(program("evens")(), 4)) == [0, 2, 4, 6]
        squares = program("squares")([3, 1, 2])
        assert next(squares) == 9 and sorted(squares) == [1, 4]
        assert next(squares, "end") == "end"
        assert set(program("words")("a bb ccc dddd")) == {"ccc", "dddd"}
        assert tuple(program("squares")(range(3))) == (0, 1, 4)
        assert [w for w in program("words")("xyz ab")] == ["xyz"]
        assert 4 in program("evens")()
        assert [m.group() for m in program("found")("baab a")] == ["aa", "a"]


def test_an_iterator_is_equal_only_to_itself_and_has_no_length() -> None:
    with served() as program:
        squares, same = program("same")(program("squares")([1, 2]))
        assert squares != [1, 4] and not squares == [1, 4]  # noqa: SIM201 - both operators
        assert squares == same and bool(squares) and hash(squares) == hash(same)
        with pytest.raises(TypeError):
            len(squares)
        with pytest.raises(TypeError):
            squares < same  # noqa: B015 - ordering is refused, as for a generator
        assert list(squares) == [1, 4]


def test_an_iterator_ends_and_raises_as_in_one_process() -> None:
    with served() as program:
        broken = program("broken")()
        assert next(broken) == 1
        with pytest.raises(KeyError, match="inside"):
            next(broken)
        returns = program("returns")()
        next(returns)
        with pytest.raises(StopIteration) as stop:
            next(returns)
        assert stop.value.value == "done"
        echo = program("echo")()
        assert next(echo) == "ready" and echo.send(21) == 42


def test_iterators_nest_pass_back_and_keep_their_identity() -> None:
    with served() as program:
        assert [(key, list(group)) for key, group in program("groups")("aab")] == [
            ("a", ["a", "a"]),
            ("b", ["b"]),
        ]
        assert program("total")(program("squares")([1, 2, 3])) == 14
        first, second = program("same")(program("squares")([5]))
        assert first is second and list(first) == [25] and list(second) == []
        assert list(program("counter")()) == ["a"]


FakeProgram = Callable[..., Remote]


@pytest.fixture
def fake_program() -> Iterator[FakeProgram]:
    """fake_program(*replies): a test process's Remote whose program sent these raw replies
    (forged by the program), whatever the test asks."""
    fds: list[int] = []

    def make(*replies: Any) -> Remote:
        replies_r, replies_w = os.pipe()
        requests_r, requests_w = os.pipe()
        fds.extend((replies_r, requests_r, requests_w))
        lines = [json.dumps({"names": ["f"], "modules": {}}), *map(json.dumps, replies)]
        os.write(replies_w, ("\n".join(lines) + "\n").encode())
        os.close(replies_w)
        return Remote(Channel(replies_r, requests_w), Codec({}))

    yield make
    for fd in fds:
        os.close(fd)


@pytest.mark.parametrize(
    "reply",
    [
        [1],
        {"nothing": 1},
        {"raise": 5, "message": "x"},
        {"raise": "ValueError"},
        {"value": 1, "after": [[1, 2], {}]},
        {"value": 1, "after": 7},
        {"value": {"$F": [1, 0]}},
    ],
    ids=json.dumps,
)
def test_a_forged_reply_is_a_bad_message(fake_program: FakeProgram, reply: Any) -> None:
    remote = fake_program(reply)
    with pytest.raises(BadMessage):
        Proxy(remote, "f", "a function")(1)


def test_a_forged_iterator_reply_is_a_bad_message(fake_program: FakeProgram) -> None:
    remote = fake_program({"value": {"$i": 1}}, {"stop": 1}, {"value": 2}, {"other": 3})
    forged = Proxy(remote, "f", "a function")()
    assert isinstance(forged, RemoteIterator)
    assert list(forged) == []  # its end, forged: yet the next forged item is taken
    assert next(iter(forged)) == 2
    with pytest.raises(BadMessage):
        next(forged)


def test_the_programs_exceptions_are_builtins_or_runtime_errors(
    fake_program: FakeProgram,
) -> None:
    remote = fake_program(
        {"raise": "ValueError", "message": "bad"},
        {"raise": "UnicodeDecodeError", "message": "needs five arguments"},
        {"raise": "SystemExit", "message": "not an Exception"},
    )
    call = Proxy(remote, "f", "a function")
    with pytest.raises(ValueError, match="ValueError in the program: bad"):
        call()
    with pytest.raises(RuntimeError, match="UnicodeDecodeError"):
        call()
    with pytest.raises(RuntimeError, match="SystemExit"):
        call()
