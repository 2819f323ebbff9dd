"""A failure in the harness's own per-test set-up is our fault: an error, never a verdict."""

from __future__ import annotations

import pytest

from crucible.schema import Comparator, Limits
from workers.judge.errors import JailFailed
from workers.judge.grade import Judge
from workers.judge.testfiles import TestFiles
from workers.judge.verdicts import classify

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["stdio", "assert"])
def test_a_child_whose_set_up_fails_is_a_judge_fault(judge: Judge, kind: str) -> None:
    setup = {
        "kind": kind,
        "prelude": "",
        "fn_name": None,
        "entry_point": None,
        # A CPU limit the child cannot set as its rlimit: its set-up fails before the program.
        "limits": {"cpu_s": 1e300, "wall_s": 5, "output_bytes": 1024},
    }
    source = "" if kind == "stdio" else "assert f() == 1\n"
    files = TestFiles.make(kind, source, ["f"], output_bytes=1024)
    with judge.pool.jail(memory_mb=128, pids=16, prelude="harness-fault") as jail:
        begun = jail.begin("def f():\n    return 1\nprint(1)\n", setup, timeout=30)
        assert begun["event"] == "ready"
        raw = files.collect(jail.request({"op": "run", "index": 0}, timeout=30, fds=files.fds), 0)
    files.close()
    assert "set-up failed" in raw.get("error", "")
    with pytest.raises(JailFailed):
        classify(raw, kind=kind, expected="1\n", limits=Limits(), comparator=Comparator())
