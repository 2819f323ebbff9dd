"""Rollouts for the reliability benchmarks: groups of samples whose right rewards are known.

A group is one prompt's samples, sharing a test set, as an RL step sends them: three in four
are the problem's reference program (reward 1), one in four is wrong (reward 0).  Problems
come in turn from HumanEval, DeepCoder's LeetCode split, MBPP (sanitized) and a synthetic
stdio problem.  Every sample carries a comment naming the run, its group and its index, so no
two are alike and the result cache answers none of them.  `tally` scores what came back.
"""

from __future__ import annotations

import ast
import random
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crucible.datasets import (
    humaneval_submission,
    leetcode_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.schema import RewardResult, Status, StdioCase, StdioTestSet, Submission, TestSet

WRONG_EVERY = 4  # sample s of a group is wrong when s % WRONG_EVERY == WRONG_EVERY - 1
STDIO_PROBLEMS = 16
STDIO_TESTS = 4
SUM_RIGHT = "import sys\nn, *xs = map(int, sys.stdin.read().split())\nprint(sum(xs[:n]))\n"
# Right on inputs of up to 100 numbers, wrong on longer ones: it fails part-way, at a test
# that `stop_on_first_failure` reaches only after passing the first ones.
SUM_WRONG = (
    "import sys\nn, *xs = map(int, sys.stdin.read().split())\nprint(sum(xs[:min(n, 100)]))\n"
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A test set with a program that passes it and one that fails it."""

    name: str
    tests: TestSet
    right: str
    wrong: str


@dataclass(frozen=True, slots=True)
class Group:
    """One prompt's samples and the reward each must get."""

    problem: str
    submissions: tuple[Submission, ...]
    expected: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """How the submissions came out against their known rewards."""

    right: int = 0
    wrong: int = 0  # graded, with a reward other than the known one
    errors: int = 0  # a judge fault (status "error", no reward)
    lost: int = 0  # no result at all: the client's call failed


# A group's results (None: the client's call failed), seconds until they came, and why not.
Outcome = tuple[list[RewardResult | None] | None, float, str]


def tally(groups: Sequence[Group], outcomes: Sequence[Outcome]) -> Tally:
    """Every submission against its known reward."""
    counts: Counter[str] = Counter()
    for group, (results, _, _) in zip(groups, outcomes, strict=True):
        if results is None or len(results) != len(group.expected):
            counts["lost"] += len(group.expected)
            continue
        for result, expected in zip(results, group.expected, strict=True):
            if result is None or result.status == Status.error:
                counts["errors"] += 1
            elif result.reward == expected:
                counts["right"] += 1
            else:
                counts["wrong"] += 1
    return Tally(counts["right"], counts["wrong"], counts["errors"], counts["lost"])


def rollout_groups(
    problems: Sequence[Problem], *, count: int, size: int, run: str, first: int = 0
) -> list[Group]:
    """`count` submissions in groups of `size` (the last one may be smaller), problems in turn;
    the groups are numbered from `first` (which also picks the first problem)."""
    if not problems or size < 1:
        raise ValueError("need at least one problem and a group size of at least 1")
    groups: list[Group] = []
    for index, start in enumerate(range(0, count, size), start=first):
        problem = problems[index % len(problems)]
        samples: list[Submission] = []
        expected: list[int] = []
        for sample in range(min(size, count - start)):
            wrong = sample % WRONG_EVERY == WRONG_EVERY - 1
            program = problem.wrong if wrong else problem.right
            code = f"{program}\n# rollout {run} {index}.{sample}\n"
            samples.append(Submission(code=code, tests=problem.tests))
            expected.append(0 if wrong else 1)
        groups.append(Group(problem.name, tuple(samples), tuple(expected)))
    return groups


def load_problems(root: Path) -> list[Problem]:
    """The four sources interleaved, so that any stretch of groups mixes them alike."""
    sources = [_humaneval(root), _leetcode(root), _mbpp(root), stdio_problems()]
    return list(_interleave(sources))


def stdio_problems(count: int = STDIO_PROBLEMS) -> list[Problem]:
    """Read n numbers, print their sum: inputs of 1 to 400 numbers, answers by construction."""
    rng = random.Random(count)
    problems = []
    for index in range(count):
        cases = []
        for test in range(STDIO_TESTS):
            n = 1 + (test * 133 + index * 7) % 400
            xs = [rng.randint(1, 10**6) for _ in range(n)]
            cases.append(StdioCase(input=f"{n}\n{' '.join(map(str, xs))}\n", output=f"{sum(xs)}\n"))
        cases.append(_long_case(rng))  # so the wrong program always meets one it fails
        problems.append(Problem(f"sum/{index}", StdioTestSet(cases=cases), SUM_RIGHT, SUM_WRONG))
    return problems


def _long_case(rng: random.Random) -> StdioCase:
    xs = [rng.randint(1, 10**6) for _ in range(300)]
    return StdioCase(input=f"300\n{' '.join(map(str, xs))}\n", output=f"{sum(xs)}\n")


def _humaneval(root: Path) -> list[Problem]:
    problems = []
    for row in read_jsonl(root / "humaneval" / "HumanEval.jsonl.gz"):
        right = humaneval_submission(row)
        assert right.code is not None and right.tests is not None
        wrong = right.code + _raising(row["entry_point"])
        problems.append(Problem(row["task_id"], right.tests, right.code, wrong))
    return problems


def _leetcode(root: Path) -> list[Problem]:
    problems = []
    for index, row in enumerate(read_json(root / "rllm-deepcoder" / "test_leetcode.json")):
        right = leetcode_submission(row)
        assert right.code is not None and right.tests is not None
        # The test calls `Solution().method`: a Solution without it fails every test.
        wrong = right.code + "\n\nclass Solution:\n    pass\n"
        problems.append(Problem(f"leetcode/{index}", right.tests, right.code, wrong))
    return problems


def _mbpp(root: Path) -> list[Problem]:
    problems = []
    for row in read_json(root / "mbpp" / "sanitized-mbpp.json"):
        right = mbpp_submission(row)
        assert right.code is not None and right.tests is not None
        tested = _defined(right.code) & _called(row["test_list"])
        if not tested:
            continue  # no function of the program is named by the tests: no sure wrong twin
        wrong = right.code + "".join(_raising(name) for name in sorted(tested))
        problems.append(Problem(f"mbpp/{row['task_id']}", right.tests, right.code, wrong))
    return problems


def _raising(name: str) -> str:
    """Rebinds `name` to a function that raises: every test that calls it fails."""
    return f"\n\ndef {name}(*args, **kwargs):\n    raise ValueError('a wrong sample')\n"


def _parse(code: str) -> ast.Module:
    with warnings.catch_warnings():  # MBPP's programs have invalid escapes in plain strings
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(code)


def _defined(code: str) -> set[str]:
    return {
        node.name
        for node in _parse(code).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _called(asserts: Sequence[str]) -> set[str]:
    names: set[str] = set()
    for line in asserts:
        for node in ast.walk(_parse(line)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names.add(node.func.id)
    return names


def _interleave(sources: Sequence[Sequence[Any]]) -> Iterator[Any]:
    """One from each source in turn, the shorter ones starting over, until the longest ends."""
    longest = max((len(s) for s in sources), default=0)
    for index in range(longest):
        for source in sources:
            if source:
                yield source[index % len(source)]
