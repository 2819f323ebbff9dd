"""Benchmark workloads: the shared datasets' reference programs and two synthetic sets,
each a list of named submissions that `crucible bench` grades sandboxed and runs bare.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crucible.datasets import (
    humaneval_submission,
    leetcode_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.schema import Comparator, Limits, StdioCase, StdioTestSet, Submission

DEFAULT_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
ECHO = "import sys; sys.stdout.write(sys.stdin.read())\n"
OVERHEAD_TESTS = 1000
# Kattis gives no time limits; its accepted Python programs get a generous one, as in the tests.
KATTIS_LIMITS = Limits(time_s=10)
# `different`'s answers are single integers and its custom validator was not copied.
KATTIS_COMPARATORS = {"different": "tokens", "hello": "lines", "oddecho": "lines"}


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    submission: Submission


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    description: str
    items: list[Item]


def humaneval(root: Path) -> Workload:
    rows = read_jsonl(root / "humaneval" / "HumanEval.jsonl.gz")
    items = [Item(row["task_id"], humaneval_submission(row)) for row in rows]
    return Workload(
        "humaneval", "HumanEval canonical solutions; `check(entry_point)` is one test.", items
    )


def leetcode(root: Path) -> Workload:
    rows = read_json(root / "rllm-deepcoder" / "test_leetcode.json")
    items = [Item(f"test_leetcode[{i}]", leetcode_submission(row)) for i, row in enumerate(rows)]
    return Workload(
        "leetcode",
        "DeepCoder (rllm) LeetCode test split, reference `class Solution`s after the LeetCode"
        " prelude (numpy included); `check(...)` is one test. The jail imports the prelude once"
        " per program, bare once per test.",
        items,
    )


def mbpp(root: Path) -> Workload:
    rows = read_json(root / "mbpp" / "sanitized-mbpp.json")
    items = [Item(f"mbpp/{row['task_id']}", mbpp_submission(row)) for row in rows]
    return Workload(
        "mbpp",
        "MBPP sanitized reference programs; each assert is one test (one process bare).",
        items,
    )


def kattis(root: Path) -> Workload:
    folder = root / "kattis-problemtools-examples"
    items: list[Item] = []
    for problem, comparator in sorted(KATTIS_COMPARATORS.items()):
        tests = _kattis_tests(folder / problem)
        for path in sorted((folder / problem / "submissions" / "accepted").glob("*.py")):
            code = path.read_text()
            if _is_python3(code):
                submission = Submission(
                    code=code,
                    tests=tests,
                    limits=KATTIS_LIMITS,
                    comparator=Comparator(name=comparator),
                )
                items.append(Item(f"{problem}/{path.name}", submission))
    return Workload(
        "kattis",
        "Kattis problemtools examples: accepted Python 3 programs on their stdio tests.",
        items,
    )


def _kattis_tests(problem: Path) -> StdioTestSet:
    inputs = [
        path
        for part in ("sample", "secret")
        for path in sorted((problem / "data" / part).rglob("*.in"))
    ]
    cases = [
        StdioCase(input=p.read_text(), output=p.with_suffix(".ans").read_text()) for p in inputs
    ]
    return StdioTestSet(cases=cases)


def _is_python3(code: str) -> bool:
    try:
        compile(code, "<kattis>", "exec")
    except SyntaxError:
        return False
    return True


def echo_submission(tests: int) -> Submission:
    """The trivial program on `tests` small inputs."""
    cases = [StdioCase(input=f"{i} {i * i}\n", output=f"{i} {i * i}\n") for i in range(tests)]
    return Submission(code=ECHO, tests=StdioTestSet(cases=cases))


def trivial(programs: int = 50, tests: int = 20) -> Workload:
    items = [Item(f"echo[{i}]", echo_submission(tests)) for i in range(programs)]
    return Workload(
        f"trivial {programs}x{tests}",
        f"Synthetic: the echo program, {programs} submissions of {tests} small stdio tests each.",
        items,
    )


def trivial_many() -> Workload:
    return Workload(
        f"trivial 1x{OVERHEAD_TESTS}",
        f"Synthetic: the echo program, one submission of {OVERHEAD_TESTS} small stdio tests"
        " (one worker in both modes).",
        [Item("echo", echo_submission(OVERHEAD_TESTS))],
    )


# Correct sum programs in a few styles, and a wrong one that drops the last number once the
# input is long, so it fails part-way through its tests as RL samples often do.
SUM_PROGRAMS = (
    "import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n"
    "print(sum(map(int, data[1:1 + n])))\n",
    "n = int(input())\nnums = list(map(int, input().split()))\ntotal = 0\nfor x in nums:\n"
    "    total += x\nprint(total)\n",
    "import sys\n\ndef main():\n    n = int(sys.stdin.readline())\n"
    "    print(sum(int(t) for t in sys.stdin.readline().split()[:n]))\n\nmain()\n",
)
WRONG_SUM = "n = int(input())\nnums = list(map(int, input().split()))\nprint(sum(nums[:100]))\n"
STDIO15_TESTS = 15


def stdio15(programs: int = 100) -> Workload:
    """DeepCoder-like: 15 stdio tests per problem; a quarter of the samples are wrong."""
    rng = random.Random(15)
    problems = [_sum_tests(rng) for _ in range(10)]
    items = []
    for i in range(programs):
        code = WRONG_SUM if i % 4 == 3 else SUM_PROGRAMS[i % len(SUM_PROGRAMS)]
        submission = Submission(code=f"# sample {i}\n{code}", tests=problems[i % len(problems)])
        items.append(Item(f"sum[{i}]", submission))
    return Workload(
        "stdio15",
        f"Synthetic, DeepCoder-like: {programs} submissions of {STDIO15_TESTS} stdio tests (read"
        " n numbers, print their sum; inputs of 1 to 2,000 numbers); one in four programs is"
        " wrong on inputs longer than 100 numbers, so it stops part-way.",
        items,
    )


def _sum_tests(rng: random.Random) -> StdioTestSet:
    cases = []
    for k in range(STDIO15_TESTS):
        n = max(1, int(2000 ** (k / (STDIO15_TESTS - 1))))
        nums = [rng.randint(-(10**9), 10**9) for _ in range(n)]
        cases.append(StdioCase(input=f"{n}\n{' '.join(map(str, nums))}\n", output=f"{sum(nums)}\n"))
    return StdioTestSet(cases=cases)


LOADERS: dict[str, Callable[[Path], Workload]] = {
    "humaneval": humaneval,
    "leetcode": leetcode,
    "mbpp": mbpp,
    "kattis": kattis,
}
SYNTHETIC = ("trivial", "stdio15")
ALL = (*LOADERS, *SYNTHETIC)
