"""Calls from an assert test into the program, across a process boundary (in the jail).

For `assert` tests the test code runs in one process and the program in another; every
`candidate(...)` in the test is a request over a pipe pair.  Values cross as tagged JSON and
are rebuilt from plain builtin types, standard-library value types (`stdvalues`) and the
prelude's own classes, so the test process never holds an object the program made: nothing
the program does can make a comparison, a truth test or the completion signal lie, and the
test's expected values never reach the program's process.  An iterator the program returns
stays in the program's process and the test asks it for one item at a time.  Stdlib only,
Python >= 3.11.
"""

import base64
import builtins
import collections
import itertools
import json
import math
import os
import re

try:
    from . import stdvalues  # imported as workers.judge.inside.rpc (the host's unit tests)
except ImportError:
    import stdvalues  # in the jail, where this is the top-level module `rpc`

# What one message may be: the program writes the test's replies, so a reply too large or too
# deeply nested for the recursive JSON parser ends the test as the program's error (issue 12).
# Tagged values nest deeper than their data (a linked list's node is two levels), hence a
# bound far above a call test's (`workers/judge/answers.py`) yet far below what the parser survives.
MAX_MESSAGE_BYTES = 64 << 20
MAX_DEPTH = 100_000
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
PLAIN = (bool, int, str, type(None))
# Standard-library containers programs return (MBPP returns Counters), crossing by value.
MAPPINGS = {
    collections.Counter: "$C",
    collections.OrderedDict: "$O",
    collections.defaultdict: "$D",
}
MAPPING_TYPES = {tag: kind for kind, tag in MAPPINGS.items()}


class Matched:
    """What a test sees of an `re.Match` the program returned: truthy, its text and span."""

    __slots__ = ("_span", "_text")

    def __init__(self, text, span):
        self._text = text
        self._span = tuple(span)

    def group(self, index=0):
        if index != 0:
            raise IndexError("only group 0 crosses from the program")
        return self._text

    def span(self):
        return self._span

    def __repr__(self):
        return f"<match span={self._span} text={self._text!r}>"


class Codec:
    """Tagged JSON for the values tests pass and programs return.

    `trusted` maps a prelude class name to the class, on each side; instances of those
    (exact type) cross by value, with identity kept, so linked lists and trees with shared
    or cyclic nodes survive.  Standard value types (`Fraction`, `Decimal`, dates, ranges,
    dict views, namedtuples, ...) cross as data and are rebuilt as the same standard type
    (`stdvalues`).  `handle` is called for anything else and returns a tag, or raises
    TypeError.  Whatever does not decode is a BadMessage: a reply the program forged is its
    own failure, never an exception a test could catch (issue 13).
    """

    def __init__(self, trusted, numpy_types=(), handle=None):
        self.trusted = trusted
        self.numpy_types = numpy_types
        self.handle = handle
        self.namedtuples = {}  # (typename, fields) -> the class made here (`stdvalues`)

    def encode(self, value):
        return self._enc(value, {})

    def _enc(self, value, memo):
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"$f": repr(value)}
        if kind is list:
            return [self._enc(v, memo) for v in value]
        if kind in (tuple, set, frozenset):
            tag = {tuple: "$t", set: "$s", frozenset: "$z"}[kind]
            return {tag: [self._enc(v, memo) for v in value]}
        if kind is dict or kind in MAPPINGS:
            items = [[self._enc(k, memo), self._enc(v, memo)] for k, v in value.items()]
            return {MAPPINGS.get(kind, "$d"): items}
        if kind is collections.deque:
            items = [self._enc(v, memo) for v in value]
            return {"$q": items} if value.maxlen is None else {"$q": items, "max": value.maxlen}
        if kind is re.Match:
            return {"$m": [value.group(0), list(value.span())]}
        if kind is bytes:
            return {"$b": base64.b64encode(value).decode()}
        if kind is complex:
            return {"$c": [value.real, value.imag]}
        if kind in stdvalues.ENCODE:
            return stdvalues.ENCODE[kind](self, value, memo)
        if kind in self.numpy_types:
            return self._enc(value.tolist(), memo)
        if self.trusted.get(kind.__name__) is kind:
            if id(value) in memo:
                return {"$r": memo[id(value)]}
            memo[id(value)] = ref = len(memo)
            attrs = {k: self._enc(v, memo) for k, v in vars(value).items()}
            return {"$o": kind.__name__, "id": ref, "a": attrs}
        if issubclass(kind, tuple) and stdvalues.is_namedtuple(kind):
            return stdvalues.encode_namedtuple(self, value, memo)
        return self.opaque(value)

    def opaque(self, value):
        """What is not data: a handle the other side can only call or iterate, or refused."""
        if self.handle is not None:
            return self.handle(value)
        raise TypeError(f"a value of type {type(value).__name__} cannot cross to the program")

    def decode(self, data, resolve=None):
        """The value `data` stands for; `resolve(tag, ref)` gives a handle's object."""
        try:
            return self._dec(data, {}, resolve)
        except Exception as exc:
            raise BadMessage(f"a malformed value: {exc!r}"[:200]) from None

    def _dec(self, data, memo, resolve):
        if type(data) is list:
            return [self._dec(v, memo, resolve) for v in data]
        if type(data) is not dict:
            return data
        ((tag, body),) = [(k, v) for k, v in data.items() if k.startswith("$")]
        if tag == "$f":
            return float(body)
        if tag in ("$t", "$s", "$z"):
            items = [self._dec(v, memo, resolve) for v in body]
            return {"$t": tuple, "$s": set, "$z": frozenset}[tag](items)
        if tag == "$d" or tag in MAPPING_TYPES:
            items = [(self._dec(k, memo, resolve), self._dec(v, memo, resolve)) for k, v in body]
            if tag == "$D":
                return collections.defaultdict(None, items)
            return MAPPING_TYPES.get(tag, dict)(dict(items))
        if tag == "$q":
            return collections.deque((self._dec(v, memo, resolve) for v in body), data.get("max"))
        if tag == "$m":
            return Matched(*body)
        if tag == "$b":
            return base64.b64decode(body)
        if tag == "$c":
            return complex(*body)
        if tag in stdvalues.DECODE:
            return stdvalues.DECODE[tag](self, body, lambda v: self._dec(v, memo, resolve))
        if tag == "$r":
            return memo[body]
        if tag == "$o":
            cls = self.trusted[body]
            obj = memo[data["id"]] = cls.__new__(cls)
            for key, value in data["a"].items():
                obj.__dict__[key] = self._dec(value, memo, resolve)
            return obj
        if tag in ("$h", "$i") and resolve is not None and type(body) in (int, str):
            return resolve(tag, body)
        raise ValueError(f"unknown tag {tag}")


class Channel:
    """Newline-delimited JSON over a pair of pipe ends."""

    def __init__(self, read_fd, write_fd):
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.buffer = b""

    def send(self, message):
        data = memoryview(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        try:
            while data:
                data = data[os.write(self.write_fd, data) :]
        except BrokenPipeError as exc:
            raise ProgramGone("the program ended during the test") from exc

    def receive(self):
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_MESSAGE_BYTES:
                raise BadMessage(f"a message over {MAX_MESSAGE_BYTES} bytes")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise ProgramGone("the program ended during the test")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return load_message(line)


def load_message(line):
    """One JSON message, decoded with bounds: BadMessage where it is not one."""
    if len(line) > MAX_MESSAGE_BYTES:
        raise BadMessage(f"a message over {MAX_MESSAGE_BYTES} bytes")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise BadMessage("a message that is not UTF-8") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and _nesting_depth(text) > MAX_DEPTH:
        raise BadMessage(f"a message nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadMessage(f"a message that is not JSON: {exc}"[:200]) from None


def _nesting_depth(text):
    # Linear, not recursive: the brackets outside strings, counted up and down.
    skeleton = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, skeleton)), default=0)


class ProgramGone(BaseException):
    """The program's process closed the channel: it exited or was killed.  Not an Exception,
    so that a test's `except Exception` around a call cannot take the program's exit for an
    answer (issue 13: a program that exited mid-call passed such a test)."""


class BadMessage(BaseException):
    """A message that is not bounded JSON: from the program, its error.  Not an Exception, so
    that no `except Exception` in a test can take it for the program's answer."""


# -- the program's side ---------------------------------------------------------------------


def serve_program(ns, channel, codec):
    """Answer calls from the test until it hangs up."""
    objects = {}

    def handle(value):
        objects[id(value)] = value
        # An iterator (a generator, `map`, `zip`, ...) stays here, lazy as in one process,
        # and the test asks for each item in turn (issue 13).
        tag = "$i" if callable(getattr(type(value), "__next__", None)) else "$h"
        return {tag: id(value), "type": type(value).__name__}

    codec.handle = handle
    public = {n: v for n, v in ns.items() if not n.startswith("__")}
    names = sorted(n for n, v in public.items() if callable(v))
    # Modules the program imported: the test imports its own copies of the same ones.
    modules = {n: v.__name__ for n, v in public.items() if type(v) is type(os)}
    channel.send({"names": names, "modules": modules})
    while True:
        try:
            request = channel.receive()
        except ProgramGone:
            return
        channel.send(_answer(request, ns, objects, codec))


def _answer(request, ns, objects, codec):
    target = request["target"]

    def resolve(ref):
        return ns[ref] if isinstance(ref, str) else objects[ref]

    try:
        obj = resolve(target)
        if request["op"] == "getattr":
            result = getattr(obj, request["name"])
            return {"value": codec.encode(result)}
        if request["op"] == "next":
            try:
                result = next(obj)
            except StopIteration as stop:
                return {"stop": codec.encode(stop.value)}
            return {"value": codec.encode(result)}
        args = codec.decode(request["args"], lambda tag, ref: resolve(ref))
        kwargs = codec.decode(request["kwargs"], lambda tag, ref: resolve(ref))
        result = obj(*args, **kwargs)
        # Tests may check arguments the program changed in place (LeetCode's in-place tasks).
        return {"value": codec.encode(result), "after": codec.encode([args, kwargs])}
    except Exception as exc:
        return {"raise": type(exc).__name__, "message": str(exc)[:2000]}


# -- the test's side ------------------------------------------------------------------------


class Remote:
    """The test process's view of the program: call by name or handle."""

    def __init__(self, channel, codec):
        self.channel = channel
        self.codec = codec
        codec.handle = self._handle
        self.proxies = {}  # (tag, handle) -> its proxy, so a handle is one object here too
        exports = channel.receive()
        self.names = exports["names"]
        self.modules = exports.get("modules", {})

    @staticmethod
    def _handle(value):
        if type(value) in (Proxy, RemoteIterator):
            return {"$h": value._target}
        raise TypeError(f"a value of type {type(value).__name__} cannot cross to the program")

    def request(self, message, args=None):
        """Send a call or attribute read; its value, or the program's exception raised here."""
        reply = self._exchange(message, "value")
        if args is not None and "after" in reply:
            after = self.codec.decode(reply["after"], self.proxy)
            try:
                _update_in_place(args, after)
            except Exception as exc:
                raise BadMessage(f"arguments that do not match the call's: {exc!r}") from None
        return self.codec.decode(reply["value"], self.proxy)

    def next(self, target):
        """The next item of an iterator the program holds; StopIteration at its end."""
        reply = self._exchange({"op": "next", "target": target}, "value", "stop")
        if "stop" in reply:
            raise StopIteration(self.codec.decode(reply["stop"], self.proxy))
        return self.codec.decode(reply["value"], self.proxy)

    def _exchange(self, message, *answers):
        self.channel.send(message)
        reply = self.channel.receive()
        if type(reply) is not dict:
            raise BadMessage("a reply that is not an object")
        if "raise" in reply:
            raise _exception(reply.get("raise"), reply.get("message"))
        if not any(key in reply for key in answers):
            raise BadMessage(f"a reply without {' or '.join(answers)}")
        return reply

    def proxy(self, tag, handle):
        key = (tag, handle)
        if key not in self.proxies:
            if tag == "$i":
                self.proxies[key] = RemoteIterator(self, handle, "an iterator")
            else:
                self.proxies[key] = Proxy(self, handle, "an object")
        return self.proxies[key]


def _exception(name, message):
    """The program's exception, as the builtin of that name (else RuntimeError)."""
    if type(name) is not str or type(message) is not str:
        raise BadMessage("an exception that is not a name and a message")
    kind = getattr(builtins, name, None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = RuntimeError
    text = f"{name} in the program: {message}"
    try:
        return kind(text)
    except Exception:  # one that takes more arguments (UnicodeDecodeError)
        return RuntimeError(text)


class Proxy:
    """Something the program made that is not plain data: it can be called or have an
    attribute read (`Solution().method`), and nothing else: no comparison, truth value,
    length, iteration or hashing, so it can never make an assertion pass."""

    __slots__ = ("_kind", "_remote", "_target")

    def __init__(self, remote, target, kind):
        self._remote = remote
        self._target = target
        self._kind = kind

    def __call__(self, *args, **kwargs):
        encode = self._remote.codec.encode
        message = {
            "op": "call",
            "target": self._target,
            "args": encode(list(args)),
            "kwargs": encode(kwargs),
        }
        return self._remote.request(message, (args, kwargs))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._remote.request({"op": "getattr", "target": self._target, "name": name})

    def _refuse(self, *args):
        raise TypeError(f"a test used {self._kind} from the program as a value")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __bool__ = __len__ = __iter__ = __contains__ = __hash__ = _refuse


class RemoteIterator(Proxy):
    """An iterator the program returned (a generator, `map`, `filter`, `zip`, ...), lazy as
    in one process: each `next` asks the program for one item, which crosses as data, so
    `list`, `sorted`, `for` and `islice` work on an infinite one too.  As a generator is, it
    is true, equal and hashed only as itself (`gen == [1, 2]` is False), and has no length;
    its methods (`send`, `close`) are the program's, called like any other (issue 13)."""

    __slots__ = ()

    def __iter__(self):
        return self

    def __next__(self):
        return self._remote.next(self._target)

    def __bool__(self):
        return True

    def __contains__(self, item):
        return any(value is item or value == item for value in self)

    __eq__, __ne__, __hash__ = object.__eq__, object.__ne__, object.__hash__


def _update_in_place(before, after):
    (args, kwargs), (new_args, new_kwargs) = before, after
    pairs = [*zip(args, new_args, strict=True), *((kwargs[k], new_kwargs[k]) for k in kwargs)]
    for old, new in pairs:
        if type(old) is list and type(new) is list:
            old[:] = new
        elif type(old) in (dict, set) and type(new) is type(old):
            old.clear()
            old.update(new)
        elif (
            type(old) is type(new)
            and hasattr(old, "__dict__")
            and type(old) not in (list, dict, set)
        ):
            old.__dict__.update(new.__dict__)
