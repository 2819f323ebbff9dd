"""Verdicts do not depend on the machine's load (issue 13, invariant 7).

Busy loops hold every core while correct programs that need about 60% of their CPU limit
are graded with a wall limit no longer than that CPU limit: each waits for a CPU far longer
than it runs, and each must still score 1 (its wall clock is stretched by what it waited).
Programs that sleep, or that only look starved because they run many threads of their own,
still get `time_limit`, never an error of ours.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from crucible.schema import Limits, StdioCase, StdioTestSet, Verdict
from tests.integration.conftest import Grade

# Busy loops per core: a test's program gets about a third of a core (less on a VM with
# other work), so a program needing 0.6 s of CPU takes 1.5-2 s on the wall clock.
LOOPS_PER_CORE = 2
LIMITS = Limits(time_s=1.0, wall_time_s=1.0)

# Correct for its input (the sum of the numbers given), after spending 0.6 s of CPU time.
WORKER = """
import sys, time
numbers = list(map(int, sys.stdin.read().split()))
spin = 0
while time.process_time() < 0.6:
    spin += 1
print(sum(numbers))
"""
SLEEPER = "import time\ntime.sleep(5)\nprint(0)\n"
# Eight threads that spin: together they have more than a core, so waiting on one another
# is theirs, not the machine's; their wall limit stands.
CROWD = """
import threading
def spin():
    while True:
        pass
for _ in range(8):
    threading.Thread(target=spin, daemon=True).start()
spin()
"""


@pytest.fixture
def busy_machine() -> Iterator[None]:
    loops = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(LOOPS_PER_CORE * (os.cpu_count() or 1))
    ]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def test_correct_programs_score_1_with_every_core_busy(busy_machine: None, grade: Grade) -> None:
    failures = []
    for n in range(50):
        numbers = list(range(n, n + 7))
        tests = StdioTestSet(
            cases=[StdioCase(input=" ".join(map(str, numbers)), output=f"{sum(numbers)}\n")]
        )
        result = grade(WORKER, tests, limits=LIMITS)
        if result.reward != 1.0:
            failures.append((n, [(t.verdict, t.message) for t in result.tests]))
    assert failures == []


def test_sleepers_and_crowds_still_time_out_with_every_core_busy(
    busy_machine: None, grade: Grade
) -> None:
    tests = StdioTestSet(cases=[StdioCase(input="", output="0\n")])
    for code, measure in ((SLEEPER, "wall time"), (CROWD, "")):
        result = grade(code, tests, limits=Limits(time_s=5.0, wall_time_s=1.0))
        (only,) = result.tests
        assert only.verdict == Verdict.time_limit, only
        assert measure in (only.message or "")
        # The deciding measure and both numbers are in the message.
        assert "wall" in (only.message or "") and "CPU" in (only.message or "")
