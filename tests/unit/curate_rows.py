"""A hand-made data set for `crucible curate`, in DeepCoder's (rllm) row format: one row
that every rule keeps and, for each rule, rows built to break that rule alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
ADD_TOO = "x = sum(int(t) for t in input().split())\nprint(x)\n"
ADD_AGAIN = "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n"
# Spends about 0.35 s of CPU on its first test only (input "1 1"): over half a 0.5 s limit.
SLOW_ADD = (
    "import time\na, b = map(int, input().split())\n"
    "if (a, b) == (1, 1):\n    end = time.process_time() + 0.35\n"
    "    while time.process_time() < end:\n        pass\nprint(a + b)\n"
)
# Right or wrong by a coin toss per test: its verdicts differ between two gradings.
COIN = (
    "import random\na, b = map(int, input().split())\n"
    "print(a + b if random.random() < 0.5 else 0)\n"
)
ECHO_LINE = "print(input())\n"


def _adds(count: int, *, start: int = 1) -> dict[str, list[str]]:
    pairs = [(i, i * 3 % 7) for i in range(start, start + count)]
    return {
        "inputs": [f"{a} {b}\n" for a, b in pairs],
        "outputs": [f"{a + b}\n" for a, b in pairs],
    }


def _row(problem: str, tests: Any, solutions: list[str]) -> dict[str, Any]:
    return {"problem": problem, "tests": json.dumps(tests), "solutions": solutions}


def rows() -> list[dict[str, Any]]:
    """The rows, in order; `EXPECTED` names the reasons each must get."""
    wrong_test = _adds(6, start=40)
    wrong_test["outputs"][2] = "-1\n"
    slow = _adds(5, start=60)
    slow["inputs"][0], slow["outputs"][0] = "1 1\n", "2\n"
    echo = {"inputs": [f"word{i}\n" for i in range(5)], "outputs": [f"word{i}\n" for i in range(5)]}
    return [
        _row("Add two numbers.", _adds(5), [ADD, ADD_TOO]),  # 0: kept
        _row("Add two small numbers.", _adds(3, start=10), [ADD]),  # 1: too few tests
        _row("Add two more numbers.", _adds(5, start=20), []),  # 2: no reference
        _row("Add   two NUMBERS.", _adds(5, start=30), [ADD]),  # 3: duplicate of 0 by text
        _row("Sum a pair.", _adds(5), [ADD]),  # 4: duplicate of 0 by tests
        _row("Add numbers, wrongly solved.", _adds(5, start=50), ["print(0)\n"]),  # 5
        _row("Add, one test wrong.", wrong_test, [ADD, ADD_TOO, ADD_AGAIN]),  # 6
        _row("Add, flakily.", _adds(10, start=70), [COIN]),  # 7: flaky verdicts
        _row("Add, slowly.", slow, [SLOW_ADD]),  # 8: slow reference
        _row("Echo a word.", echo, [ECHO_LINE]),  # 9: weak tests
        {"problem": "Unreadable.", "tests": "not a test set {", "solutions": [ADD]},  # 10
    ]


# The reasons each row must be rejected for; a row not named is kept.
EXPECTED = {
    1: "too_few_tests",
    2: "no_reference",
    3: "duplicate",
    4: "duplicate",
    5: "reference_fails",
    6: "contradicting_test",
    7: "flaky_verdict",
    8: "slow_reference",
    9: "weak_tests",
    10: "unreadable",
}
TIME_LIMIT_S = 0.5  # the --time-limit the data set is curated under


def write_rows(folder: Path) -> Path:
    path = folder / "handmade.json"
    path.write_text(json.dumps(rows(), indent=1))
    return path
