"""The harness protocol (issue 14): every command the worker sends the jail's harness and every
record the harness sends back, with their one encoder and their decoders.

Shared by both ends: the harness imports it in the jail as the top-level module `protocol`
(from /crucible), the worker as `workers.judge.inside.protocol`.  Stdlib only, Python >= 3.11.
Commands are one compact JSON object each (bulk travels in attached descriptors); records are
one compact JSON object per line.  The worker decodes records strictly (`decode_record`):
a record that breaks the protocol is our fault, never a verdict (`ProtocolError`, which the
jail's owner turns into JailFailed).  The harness decodes commands as it always did.
"""

import json
from collections.abc import Callable
from typing import Any, Final, Literal, NotRequired, Protocol, Required, TypedDict, cast

# -- names --------------------------------------------------------------------------------

HELLO: Final = "hello"
SETUP: Final = "setup"
RUN: Final = "run"
PLACE: Final = "place"
FETCH: Final = "fetch"
END: Final = "end"
EXIT: Final = "exit"
STANDBY: Final = "standby"  # between submissions: fork the next one's process now
CUT: Final = "cut"  # the harness's own: a command that did not fit its buffers

# A setup's kind for a checker's jail: each run execs the checker on the worker's
# descriptors (`checking.py` says which, in which order).
CHECK: Final = "check"

READY: Final = "ready"
PRELUDE_ERROR: Final = "prelude_error"
RESULT: Final = "result"
LOST: Final = "lost"
CLEAN: Final = "clean"
DIRTY: Final = "dirty"
RETIRE: Final = "retire"
PLACED: Final = "placed"
FETCHED: Final = "fetched"

# The most one record may be: the largest honest ones (a compile error's tail, a long fetch
# list) are far smaller.  Checked as the worker reads the harness's pipe (`workers/judge/jail.py`);
# how deeply a record nests is bounded by the parser and the checks below.
MAX_RECORD_BYTES: Final = 16 << 20


# -- commands -----------------------------------------------------------------------------


class SetupLimits(TypedDict):
    cpu_s: float
    wall_s: float
    stretch_s: NotRequired[float]
    output_bytes: int


class Setup(TypedDict):
    """One submission's set-up as the worker decides it; `prelude` travels in a descriptor
    attached to a jail's first setup (`workers/judge/jail.py`), never in the command."""

    kind: str
    prelude: str
    fn_name: str | None
    entry_point: str | None
    preload: NotRequired[list[str]]
    # A compiled program: the argv its tests' children exec (the artifact is /code/main),
    # and what its environment adds to the plain one (Go's GOMAXPROCS).
    exec: NotRequired[list[str]]
    env: NotRequired[dict[str, str]]
    # A Python checker (kind `check`, `exec` its python3 command line): forked from the
    # harness, which runs the same interpreter, instead of exec'd.
    python_check: NotRequired[bool]
    limits: SetupLimits


class SetupCommand(TypedDict):
    op: Literal["setup"]
    kind: str
    fn_name: str | None
    entry_point: str | None
    preload: NotRequired[list[str]]
    exec: NotRequired[list[str]]
    env: NotRequired[dict[str, str]]
    python_check: NotRequired[bool]
    limits: SetupLimits
    fresh_scratch: bool


class RunLimits(TypedDict):
    """A test's own wall limits, over the setup's: `until` is the submission's budget on the
    monotonic clock the jail shares."""

    wall_s: float
    stretch_s: float
    until: float


class RunCommand(TypedDict):
    op: Literal["run"]
    index: int
    limits: NotRequired[RunLimits]
    # An interactive test's side (the program's, or its interactor's): stdin and stdout are
    # pipes to the other jail; the record says when this side's process was seen ended
    # (`ended_at`, on the shared monotonic clock) and whether the other side had closed its
    # output by then (`peer_closed`).
    interactive: NotRequired[bool]
    # A communication task's manager (kind `check`): how many runs of the program it talks
    # with, each by a pair of pipes after its seven descriptors (`checking.pipe_fds`).
    pipes: NotRequired[int]
    # Arguments after the program's argv for this run (a communication task's run index).
    args: NotRequired[list[str]]


class FetchCommand(TypedDict):
    op: Literal["fetch"]
    limit: int


class PlainCommand(TypedDict):
    op: Literal["hello", "place", "end", "exit", "standby"]


Command = SetupCommand | RunCommand | FetchCommand | PlainCommand


class LimitsLike(Protocol):
    """What `build_setup` reads of the schema's Limits (`crucible/schema.py`)."""

    @property
    def time_s(self) -> float: ...
    @property
    def output_kb(self) -> int: ...
    @property
    def test_wall_s(self) -> float: ...


def build_setup(
    kind: str,
    *,
    limits: LimitsLike,
    prelude: str = "",
    fn_name: str | None = None,
    entry_point: str | None = None,
    preload: list[str] | None = None,
    stretch_s: float | None = None,
    argv: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Setup:
    """The setup of one submission from its test set's fields, its Limits and the modules to
    preload: `preload` and `stretch_s` are sent only when given (grading sends each test's
    stretch with the test, /run_code with the setup).  `argv`: a compiled program's, which
    each test's child execs instead of running Python, with `env` (sent when not empty)
    added to its environment."""
    setup_limits: SetupLimits = {"cpu_s": limits.time_s, "wall_s": limits.test_wall_s}
    if stretch_s is not None:
        setup_limits["stretch_s"] = stretch_s
    setup_limits["output_bytes"] = limits.output_kb * 1024
    setup: Setup = {
        "kind": kind,
        "prelude": prelude,
        "fn_name": fn_name,
        "entry_point": entry_point,
    }
    if preload is not None:
        setup["preload"] = preload
    if argv is not None:
        setup["exec"] = argv
    if env:
        setup["env"] = env
    setup["limits"] = setup_limits
    return setup


def setup_command(setup: Setup, *, fresh_scratch: bool) -> SetupCommand:
    """The setup command: `setup` without its prelude, in its own order."""
    command: SetupCommand = {
        "op": SETUP,
        "kind": setup["kind"],
        "fn_name": setup["fn_name"],
        "entry_point": setup["entry_point"],
    }
    if "preload" in setup:
        command["preload"] = setup["preload"]
    if "exec" in setup:
        command["exec"] = setup["exec"]
    if "env" in setup:
        command["env"] = setup["env"]
    if "python_check" in setup:
        command["python_check"] = setup["python_check"]
    command["limits"] = setup["limits"]
    command["fresh_scratch"] = fresh_scratch
    return command


# -- records ------------------------------------------------------------------------------


class Record(TypedDict, total=False):
    """Any record.  Which fields each event carries, and of what type, is `_FIELDS`; those
    under "filled in on the host" never come from the jail (`workers/judge/testfiles.py`)."""

    event: Required[str]
    message: str  # prelude_error, dirty, retire
    runtime: str  # ready
    compile_error: str | None
    unlike_bare: list[str]
    starts: str  # ready: how compiled programs' tests start (library, launcher or fork)
    signal: int | None  # lost, result
    exit_code: int | None
    index: int | None  # result
    error: str
    wall_s: float
    cpu_s: float
    max_rss_kb: int
    wall_killed: bool
    cpu_killed: bool
    wall_limit_s: float
    cpu_wait_s: float
    own_wall_s: float
    contended: bool
    test_cpu_s: float
    program_gone: bool
    tree_cpu_s: float
    oom_kills: int
    tree_memory_kb: int
    peer_closed: bool  # an interactive test's side
    ended_at: float
    peer_closed_at: float  # when its harness saw the other side's output closed, if first
    files: list[list[int]]  # fetched
    left_out: list[int]
    looped: int  # clean: the submission's tests the harness's loop ran
    # filled in on the host
    stdout: bytes
    stderr_over: bool
    stderr_tail: str
    result: bytes
    completed: bool
    oom_killed: bool


class ProtocolError(ValueError):
    """A record that is not one the harness sends."""


def _number(value: object) -> bool:
    return type(value) in (int, float)


def _integer(value: object) -> bool:
    return type(value) is int


def _maybe_integer(value: object) -> bool:
    return value is None or type(value) is int


def _boolean(value: object) -> bool:
    return type(value) is bool


def _string(value: object) -> bool:
    return type(value) is str


def _maybe_string(value: object) -> bool:
    return value is None or type(value) is str


def _strings(value: object) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _rows(value: object) -> bool:
    # A fetch record's entries: each is checked against the paths by `workers/judge/runfiles.py`.
    return type(value) is list and all(
        type(row) is list and all(type(v) is int for v in row) for row in value
    )


def _integers(value: object) -> bool:
    return type(value) is list and all(type(v) is int for v in value)


Check = Callable[[object], bool]  # whether one field's value is of its type
_TEST_RAN: dict[str, Check] = {
    "wall_s": _number,
    "cpu_s": _number,
    "max_rss_kb": _integer,
    "exit_code": _maybe_integer,
    "signal": _maybe_integer,
    "wall_killed": _boolean,
    "cpu_killed": _boolean,
    "wall_limit_s": _number,
}
_TEST_MAY: dict[str, Check] = {
    "cpu_wait_s": _number,
    "own_wall_s": _number,
    "contended": _boolean,
    "test_cpu_s": _number,
    "program_gone": _boolean,
    "tree_cpu_s": _number,
    "oom_kills": _integer,
    "tree_memory_kb": _integer,
    "peer_closed": _boolean,
    "ended_at": _number,
    "peer_closed_at": _number,
}
# Per event: its required fields, and those it may carry, each with its check.
_FIELDS: dict[str, tuple[dict[str, Check], dict[str, Check]]] = {
    HELLO: ({}, {}),
    READY: (
        {"runtime": _string, "compile_error": _maybe_string, "unlike_bare": _strings},
        {"starts": _string},
    ),
    PRELUDE_ERROR: ({"message": _string}, {}),
    LOST: ({"signal": _maybe_integer, "exit_code": _maybe_integer}, {}),
    # `looped`: how many of the submission's tests the harness's loop ran (`Loop`).
    CLEAN: ({}, {"looped": _integer}),
    DIRTY: ({"message": _string}, {}),
    RETIRE: ({"message": _string}, {}),
    PLACED: ({}, {"error": _string}),
    FETCHED: ({"files": _rows, "left_out": _integers}, {}),
}
# A result says why no test ran (`error`), or how its processes ended.
_RESULT_ERROR: dict[str, Check] = {"index": _maybe_integer, "error": _string}
_RESULT_RAN: dict[str, Check] = {"index": _integer, **_TEST_RAN}


# -- encoding and decoding ----------------------------------------------------------------


def encode(message: Command | Record | dict[str, Any]) -> bytes:
    """One command or record as compact JSON (a record's line adds the newline)."""
    return json.dumps(message, separators=(",", ":")).encode("utf-8", "surrogatepass")


def encode_record(record: Record | dict[str, Any]) -> bytes:
    return encode(record) + b"\n"


def decode_command(data: bytes) -> Any:
    """A command as the harness reads it (the worker is trusted: no checks here)."""
    return json.loads(data)


def decode_record(line: bytes) -> Record:
    """One record line from the harness, checked: a known event, its required fields of
    their types and no field it never carries; ProtocolError otherwise."""
    if len(line) > MAX_RECORD_BYTES:
        raise ProtocolError(f"a record of {len(line)} bytes")
    try:
        record = json.loads(line)
    except RecursionError:
        raise ProtocolError("a record nested too deeply") from None
    except ValueError as exc:
        raise ProtocolError(f"a record that is not JSON: {exc}") from None
    if type(record) is not dict:
        raise ProtocolError(f"a record that is not an object: {line[:100]!r}")
    event = record.get("event")
    if event == RESULT:
        required = _RESULT_ERROR if "error" in record else _RESULT_RAN
        optional = {} if "error" in record else _TEST_MAY
    elif type(event) is str and event in _FIELDS:
        required, optional = _FIELDS[event]
    else:
        raise ProtocolError(f"a record of no known event: {str(event)[:100]!r}")
    _check(record, required, optional)
    return cast(Record, record)  # checked above, field by field


def _check(record: dict[str, Any], required: dict[str, Check], optional: dict[str, Check]) -> None:
    event = record["event"]
    for name, value in record.items():
        if name == "event":
            continue
        check = required.get(name) or optional.get(name)
        if check is None:
            raise ProtocolError(f"a {event} record with a field {name[:100]!r}")
        if not check(value):
            raise ProtocolError(f"a {event} record whose {name} is {str(value)[:100]!r}")
    missing = [name for name in required if name not in record]
    if missing:
        raise ProtocolError(f"a {event} record without {', '.join(missing)}")
