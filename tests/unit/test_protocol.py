"""The harness protocol (`workers/judge/inside/protocol.py`): what the worker sends is byte for byte
what it sent before issue 14, and a record that breaks the protocol is JailFailed."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from crucible.schema import Limits
from workers.judge.errors import JailFailed
from workers.judge.inside import protocol
from workers.judge.jail import Jail, read_record
from workers.judge.verdicts import stretch_s

LIMITS = Limits(time_s=2, output_kb=64)
INSIDE = Path(protocol.__file__).parent


def test_the_setup_is_the_dict_judge_built_before() -> None:
    setup = protocol.build_setup(
        "call",
        limits=LIMITS,
        prelude="import math\n",
        fn_name="add",
        entry_point=None,
        preload=["numpy"],
    )
    before = {
        "kind": "call",
        "prelude": "import math\n",
        "fn_name": "add",
        "entry_point": None,
        "preload": ["numpy"],
        "limits": {"cpu_s": 2.0, "wall_s": 5.0, "output_bytes": 65536},
    }
    assert setup == before and list(setup) == list(before)
    command = Jail.encode(protocol.setup_command(setup, fresh_scratch=True))
    assert command == (
        b'{"op":"setup","kind":"call","fn_name":"add","entry_point":null,"preload":["numpy"],'
        b'"limits":{"cpu_s":2.0,"wall_s":5.0,"output_bytes":65536},"fresh_scratch":true}'
    )


def test_the_setup_is_the_dict_rawrun_built_before() -> None:
    setup = protocol.build_setup("stdio", limits=LIMITS, stretch_s=stretch_s(LIMITS))
    before = {
        "kind": "stdio",
        "prelude": "",
        "fn_name": None,
        "entry_point": None,
        "limits": {"cpu_s": 2.0, "wall_s": 5.0, "stretch_s": 10.0, "output_bytes": 65536},
    }
    assert setup == before and json.dumps(setup) == json.dumps(before)
    command = Jail.encode(protocol.setup_command(setup, fresh_scratch=False))
    assert command == (
        b'{"op":"setup","kind":"stdio","fn_name":null,"entry_point":null,'
        b'"limits":{"cpu_s":2.0,"wall_s":5.0,"stretch_s":10.0,"output_bytes":65536},'
        b'"fresh_scratch":false}'
    )


def test_a_compiled_programs_setup_carries_its_argv_and_environment() -> None:
    env = {"GOMAXPROCS": "1", "GOMEMLIMIT": "1024MiB"}
    setup = protocol.build_setup("stdio", limits=LIMITS, argv=["/code/main"], env=env)
    assert setup["exec"] == ["/code/main"] and setup["env"] == env
    command = Jail.encode(protocol.setup_command(setup, fresh_scratch=True))
    assert b'"exec":["/code/main"],"env":{"GOMAXPROCS":"1","GOMEMLIMIT":"1024MiB"}' in command
    # An empty environment is not sent: C's setup is the one it always was.
    plain = protocol.build_setup("stdio", limits=LIMITS, argv=["/code/main"], env={})
    assert "env" not in plain


def test_commands_encode_as_before() -> None:
    run: protocol.RunCommand = {
        "op": protocol.RUN,
        "index": 3,
        "limits": {"wall_s": 5.0, "stretch_s": 10.0, "until": 12.5},
    }
    assert protocol.encode(run) == (
        b'{"op":"run","index":3,"limits":{"wall_s":5.0,"stretch_s":10.0,"until":12.5}}'
    )
    assert protocol.encode({"op": protocol.EXIT}) == b'{"op":"exit"}'
    assert protocol.encode({"op": protocol.FETCH, "limit": 9}) == b'{"op":"fetch","limit":9}'
    assert protocol.decode_command(protocol.encode(run)) == run


RAN = {
    "event": "result",
    "wall_s": 0.01,
    "cpu_s": 0.005,
    "max_rss_kb": 9000,
    "exit_code": 0,
    "signal": None,
    "wall_killed": False,
    "cpu_killed": False,
    "tree_cpu_s": 0.006,
    "oom_kills": 0,
    "tree_memory_kb": 8000,
    "index": 0,
    "wall_limit_s": 5.0,
}
GOOD: list[dict[str, Any]] = [
    {"event": "hello"},
    {"event": "ready", "runtime": "CPython 3.11.2", "unlike_bare": [], "compile_error": None},
    {"event": "ready", "runtime": "CPython 3.11.2", "unlike_bare": ["x"], "compile_error": "E"},
    {"event": "prelude_error", "message": "Traceback"},
    {"event": "lost", "signal": 9, "exit_code": None},
    RAN,
    RAN | {"cpu_wait_s": 1.5, "own_wall_s": 2, "contended": True},
    RAN | {"test_cpu_s": 0.1, "program_gone": True, "signal": 11, "exit_code": None},
    {"event": "result", "index": 2, "error": "test code does not compile"},
    {"event": "result", "index": None, "error": "cut within a submission"},
    {"event": "clean"},
    {"event": "dirty", "message": "cannot reset /tmp"},
    {"event": "retire", "message": "/tmp is not as it started"},
    {"event": "placed"},
    {"event": "placed", "error": "OSError: no room"},
    {"event": "fetched", "files": [[0, 0, 3]], "left_out": [1]},
]


@pytest.mark.parametrize("record", GOOD)
def test_records_round_trip(record: dict[str, Any]) -> None:
    line = protocol.encode_record(record)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert line[:-1] == json.dumps(record, separators=(",", ":")).encode()
    assert read_record(line[:-1]) == record


BAD: list[bytes] = [
    b"",
    b"not json",
    b"[1, 2]",
    b'"result"',
    b"{}",
    b'{"event": "unknown"}',
    b'{"event": 7}',
    b'{"event": "ready", "runtime": "CPython"}',  # fields missing
    b'{"event": "ready", "runtime": 3, "unlike_bare": [], "compile_error": null}',
    b'{"event": "ready", "runtime": "", "unlike_bare": [1], "compile_error": null}',
    b'{"event": "lost", "signal": "9", "exit_code": null}',
    b'{"event": "lost", "signal": 9}',
    b'{"event": "hello", "extra": 1}',
    b'{"event": "dirty"}',
    b'{"event": "fetched", "files": [[0, "0", 1]], "left_out": []}',
    b'{"event": "result", "index": 0}',
    b'{"event": "result", "index": 0, "error": 5}',
    b'{"event": "result", "index": 0, "error": "x", "wall_s": 1}',
    json.dumps(RAN | {"wall_killed": 0}).encode(),
    json.dumps(RAN | {"max_rss_kb": 1.5}).encode(),
    json.dumps(RAN | {"index": None}).encode(),
    json.dumps({k: v for k, v in RAN.items() if k != "exit_code"}).encode(),
    # What only the worker fills in never comes from the jail.
    json.dumps(RAN | {"stdout": "forged"}).encode(),
    json.dumps(RAN | {"completed": True}).encode(),
    b"[" * 100_000 + b"]" * 100_000,  # too deep for the parser
    b'{"event": "prelude_error", "message": "' + b"x" * protocol.MAX_RECORD_BYTES + b'"}',
]


@pytest.mark.parametrize("line", BAD, ids=range(len(BAD)))
def test_malformed_records_are_jail_failures(line: bytes) -> None:
    with pytest.raises(JailFailed, match="malformed record"):
        read_record(line)


def test_the_protocol_module_is_the_harness_own() -> None:
    """A program child never sees it (OWN_MODULES), and the jail imports it as a top-level
    module from the bind-mounted folder it sits in."""
    tree = ast.parse((INSIDE / "harness.py").read_text())
    own = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "OWN_MODULES" for t in node.targets)
    )
    assert "protocol" in ast.literal_eval(own)
    assert (INSIDE / "protocol.py").is_file()
