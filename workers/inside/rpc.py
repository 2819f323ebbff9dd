"""Calls from an assert test into the program, across a process boundary (in the jail).

For `assert` tests the test code runs in one process and the program in another; every
`candidate(...)` in the test is a request over a pipe pair.  Values cross as tagged JSON and
are rebuilt from plain builtin types (and the prelude's own classes), so the test process
never holds an object the program made: nothing the program does can make a comparison,
a truth test or the completion signal lie, and the test's expected values never reach the
program's process.  Stdlib only, Python >= 3.11.
"""

import base64
import builtins
import collections
import itertools
import json
import math
import os
import re

# What one message may be: the program writes the test's replies, so a reply too large or too
# deeply nested for the recursive JSON parser ends the test as the program's error (issue 12).
# Tagged values nest deeper than their data (a linked list's node is two levels), hence a
# bound far above a call test's (`workers/answers.py`) yet far below what the parser survives.
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
    or cyclic nodes survive.  `handle` is called for anything else and returns a tag, or
    raises TypeError.
    """

    def __init__(self, trusted, numpy_types=(), handle=None):
        self.trusted = trusted
        self.numpy_types = numpy_types
        self.handle = handle

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
            return {"$q": [self._enc(v, memo) for v in value]}
        if kind is re.Match:
            return {"$m": [value.group(0), list(value.span())]}
        if kind is bytes:
            return {"$b": base64.b64encode(value).decode()}
        if kind is complex:
            return {"$c": [value.real, value.imag]}
        if kind in self.numpy_types:
            return self._enc(value.tolist(), memo)
        if self.trusted.get(kind.__name__) is kind:
            if id(value) in memo:
                return {"$r": memo[id(value)]}
            memo[id(value)] = ref = len(memo)
            attrs = {k: self._enc(v, memo) for k, v in vars(value).items()}
            return {"$o": kind.__name__, "id": ref, "a": attrs}
        if self.handle is not None:
            return self.handle(value)
        raise TypeError(f"a value of type {kind.__name__} cannot cross to the program")

    def decode(self, data, resolve=None):
        return self._dec(data, {}, resolve)

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
            return collections.deque(self._dec(v, memo, resolve) for v in body)
        if tag == "$m":
            return Matched(*body)
        if tag == "$b":
            return base64.b64decode(body)
        if tag == "$c":
            return complex(*body)
        if tag == "$r":
            return memo[body]
        if tag == "$o":
            cls = self.trusted[body]
            obj = memo[data["id"]] = cls.__new__(cls)
            for key, value in data["a"].items():
                obj.__dict__[key] = self._dec(value, memo, resolve)
            return obj
        if tag == "$h" and resolve is not None:
            return resolve(body)
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


class ProgramGone(Exception):
    """The program's process closed the channel: it exited or was killed."""


class BadMessage(BaseException):
    """A message that is not bounded JSON: from the program, its error.  Not an Exception, so
    that no `except Exception` in a test can take it for the program's answer."""


# -- the program's side ---------------------------------------------------------------------


def serve_program(ns, channel, codec):
    """Answer calls from the test until it hangs up."""
    objects = {}

    def handle(value):
        objects[id(value)] = value
        return {"$h": id(value), "type": type(value).__name__}

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
        args = codec.decode(request["args"], resolve)
        kwargs = codec.decode(request["kwargs"], resolve)
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
        exports = channel.receive()
        self.names = exports["names"]
        self.modules = exports.get("modules", {})

    @staticmethod
    def _handle(value):
        if type(value) is Proxy:
            return {"$h": value._target}
        raise TypeError(f"a value of type {type(value).__name__} cannot cross to the program")

    def request(self, message, args=None):
        self.channel.send(message)
        reply = self.channel.receive()
        if "raise" in reply:
            kind = getattr(builtins, reply["raise"], None)
            if not (isinstance(kind, type) and issubclass(kind, Exception)):
                kind = RuntimeError
            raise kind(f"{reply['raise']} in the program: {reply['message']}")
        if args is not None and "after" in reply:
            _update_in_place(args, self.codec.decode(reply["after"], self.proxy))
        return self.codec.decode(reply["value"], self.proxy)

    def proxy(self, handle):
        return Proxy(self, handle["$h"] if isinstance(handle, dict) else handle, "an object")


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
