"""A failure in the harness's own per-test set-up is our fault: an error, never a verdict."""

from __future__ import annotations

import pytest

from crucible.schema import Comparator, Limits
from workers.errors import JailFailed
from workers.judge import Judge
from workers.verdicts import classify

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["stdio", "assert"])
def test_a_child_whose_set_up_fails_is_a_judge_fault(judge: Judge, kind: str) -> None:
    setup = {
        "code": "def f():\n    return 1\nprint(1)\n",
        "kind": kind,
        "prelude": "",
        "fn_name": None,
        "entry_point": None,
        # An output cap the child cannot set as its rlimit: its set-up fails before the program.
        "limits": {"cpu_s": 2, "wall_s": 5, "output_bytes": -7},
    }
    command = {"op": "run", "index": 0, "input": "", "source": "assert f() == 1\n"}
    with judge.pool.jail(memory_mb=128, pids=16, prelude="harness-fault") as jail:
        assert jail.begin(setup, timeout=30)["event"] == "ready"
        raw = jail.request(command, timeout=30)
    assert "set-up failed" in raw.get("error", "")
    with pytest.raises(JailFailed):
        classify(raw, kind=kind, expected="1\n", limits=Limits(), comparator=Comparator())
