"""The harness's wait for an interactive side (`inside/harness.py`, `_wait` with `peers`):
when the other side's output was seen closed, before its own child's end, and a killed
child's end taken at its kill.  Run on the host, with plain processes."""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest

INSIDE = Path(__file__).resolve().parents[2] / "workers" / "judge" / "inside"


def spawn(*argv: str) -> int:
    """A plain child the harness's wait reaps itself."""
    return os.posix_spawnp(argv[0], list(argv), dict(os.environ))


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    sys.path.insert(0, str(INSIDE))  # as in the jail, where its modules are top-level
    try:
        return importlib.import_module("harness")
    finally:
        sys.path.remove(str(INSIDE))


def test_the_other_side_closing_first_is_stamped(harness: ModuleType) -> None:
    read, write = os.pipe()
    child = spawn("sleep", "0.3")
    threading.Timer(0.05, os.close, [write]).start()
    started = time.monotonic()
    try:
        record = harness._wait(child, started + 10, started, peers=[read])
    finally:
        os.close(read)
    assert record["exit_code"] == 0 and not record["wall_killed"] and record["peer_closed"]
    assert started + 0.04 < record["peer_closed_at"] < record["ended_at"] - 0.1


def test_a_peer_still_open_is_not_stamped_and_a_kill_is_the_end(harness: ModuleType) -> None:
    read, write = os.pipe()
    child = spawn("sleep", "10")
    started = time.monotonic()
    try:
        record = harness._wait(child, started + 0.1, started, peers=[read])
        seen = time.monotonic()
    finally:
        os.close(read)
        os.close(write)
    assert record["wall_killed"] and "peer_closed_at" not in record
    assert not record["peer_closed"]
    assert started + 0.09 < record["ended_at"] <= seen


def test_every_peer_must_close(harness: ModuleType) -> None:
    first, first_write = os.pipe()
    second, second_write = os.pipe()
    child = spawn("sleep", "0.3")
    os.close(first_write)
    started = time.monotonic()
    try:
        record = harness._wait(child, started + 10, started, peers=[first, second])
    finally:
        for fd in (first, second, second_write):
            os.close(fd)
    assert "peer_closed_at" not in record and record["exit_code"] == 0
    assert not record["peer_closed"]


def test_a_plain_wait_carries_no_interactive_fields(harness: ModuleType) -> None:
    child = spawn("true")
    started = time.monotonic()
    record = harness._wait(child, started + 10, started)
    assert not {"ended_at", "peer_closed", "peer_closed_at"} & set(record)


def test_a_peer_closed_as_the_child_ends_is_seen(harness: ModuleType) -> None:
    """The other side's output shut by the child's own end (as when a process holds both):
    closed by the time the end is seen, in whichever wake-up the hang-up came."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # holds the only write end, then ends
        os.close(read)
        time.sleep(0.05)
        os._exit(0)
    os.close(write)
    started = time.monotonic()
    try:
        record = harness._wait(child, started + 10, started, peers=[read])
    finally:
        os.close(read)
    assert record["peer_closed"] and record["exit_code"] == 0
