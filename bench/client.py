"""`crucible bench client`: `grade_many` end to end on a DeepCoder-sized step, into the report.

Starts the local stack (Redis, the gateway, one worker per core) and grades 1,024 distinct
submissions of 15 stdio tests each: 64 problems x 16 samples, each problem its own test set,
one sample in four wrong on long inputs (so it stops part-way), as a trainer's step would.
Three ways, in one run: `grade_many` cold (every program new), `submit` per problem then one
`collect` (pipelined), and `grade_many` again (every result cached: the client and gateway
alone).  `--language cpp` grades the same step in C++, where every cold program is also
built once, and says what share of the judge's time went to building.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.doc import CLIENT_CPP_SECTION, CLIENT_SECTION, splice_section
from crucible.client import RewardClient
from crucible.schema import Language, RewardResult, StdioCase, StdioTestSet, Submission
from server.stack import LocalStack, StackConfig, free_port

RIGHT = "import sys\nn, *xs = map(int, sys.stdin.read().split())\nprint(sum(xs[:n]))\n"
WRONG = "import sys\nn, *xs = map(int, sys.stdin.read().split())\nprint(sum(xs[:n]) + (n > 100))\n"
CPP = (
    '#include <cstdio>\nint main() { int n; long long s = 0, x; if (scanf("%d", &n) != 1)'
    ' return 1; for (int i = 0; i < n; ++i) { scanf("%lld", &x); s += x; }'
    ' printf("%lld\\n", s + {extra}); }\n'
)
# The program each sample sends, right and wrong (wrong on long inputs), and its comment mark.
PROGRAMS = {
    Language.python: (RIGHT, WRONG, "#"),
    Language.cpp: (CPP.replace("{extra}", "0"), CPP.replace("{extra}", "(n > 100)"), "//"),
}
SECTIONS = {Language.python: CLIENT_SECTION, Language.cpp: CLIENT_CPP_SECTION}


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    wall_s: float
    rewards: int
    tests_run: int
    judge_s: float  # sum of the judge's own time per submission
    build_s: float = 0.0  # of which building the programs (compiled languages)


def problem(index: int, tests: int) -> StdioTestSet:
    cases = []
    for t in range(tests):
        n = 1 + (index * 37 + t * 131) % 2000
        xs = [(index + t + k) % 1000 for k in range(n)]
        cases.append(StdioCase(input=f"{n}\n{' '.join(map(str, xs))}\n", output=f"{sum(xs)}\n"))
    return StdioTestSet(cases=cases)


def step(
    problems: int, samples: int, tests: int, language: Language = Language.python
) -> list[list[Submission]]:
    right, wrong, mark = PROGRAMS[language]
    groups = []
    for p in range(problems):
        testset = problem(p, tests)
        group = [
            Submission(
                language=language,
                code=f"{wrong if s % 4 == 3 else right}{mark} {uuid.uuid4().hex}\n",
                tests=testset,
            )
            for s in range(samples)
        ]
        groups.append(group)
    return groups


def measure(name: str, grade: object, groups: list[list[Submission]]) -> Run:
    name = f"{name} (load {os.getloadavg()[0]:.1f})"
    started = time.perf_counter()
    results: list[RewardResult] = grade(groups)  # type: ignore[operator]
    wall = time.perf_counter() - started
    return Run(
        name,
        wall,
        sum(r.reward or 0 for r in results),
        sum(sum(t.verdict.value != "skipped" for t in r.tests) for r in results),
        sum(r.time_s for r in results),
        sum(r.compile.time_s for r in results if r.compile is not None),
    )


def run_bench(
    *,
    workers: int,
    problems: int,
    samples: int,
    tests: int,
    language: Language = Language.python,
) -> list[Run]:
    """The three runs, each with the 1-minute load average at its end in its name's note."""
    with tempfile.TemporaryDirectory() as data:
        config = StackConfig("127.0.0.1", free_port(), workers, free_port(), Path(data))
        stack = LocalStack(config)
        stack.start()
        try:
            with RewardClient(stack.url, progress=False) as client:
                warm_up = step(1, 4 * workers, tests, language)
                client.grade_many([s for g in warm_up for s in g])
                cold = step(problems, samples, tests, language)
                piped = step(problems, samples, tests, language)
                flat = [s for g in cold for s in g]
                runs = [
                    measure("grade_many, cold", lambda g: client.grade_many(flat), cold),
                    measure(
                        "submit per problem, then collect",
                        lambda g: client.collect([client.submit(group) for group in g]),
                        piped,
                    ),
                    measure(
                        "grade_many again (all cached)", lambda g: client.grade_many(flat), cold
                    ),
                ]
        finally:
            stack.stop()
    return runs


def render(
    runs: list[Run],
    *,
    workers: int,
    problems: int,
    samples: int,
    tests: int,
    language: Language = Language.python,
) -> str:
    total = problems * samples
    rows = [
        f"| {r.name} | {r.wall_s:.2f} | {total / r.wall_s:.1f}"
        f" | {f'{r.tests_run / r.wall_s:.0f}' if 'cached' not in r.name else 'none run'}"
        f" | {r.rewards} |"
        for r in runs
    ]
    cold = runs[0]
    busy = cold.judge_s / workers
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    built = (
        [
            f"In C++, every cold program is also built once (g++ -O2, in the worker's warm"
            f" compile jail): {cold.build_s:.1f} s of the judge's {cold.judge_s:.1f} s"
            f" ({100 * cold.build_s / max(cold.judge_s, 1e-9):.0f}%) went to building.",
            "",
        ]
        if language != Language.python
        else []
    )
    return "\n".join(
        [
            SECTIONS[language],
            "",
            f"`RewardClient.grade_many` on one DeepCoder-sized step: {total:,} distinct submissions"
            f" ({problems} problems x {samples} samples, each problem its own test set of {tests}"
            " stdio tests with inputs of 1 to 2,000 numbers, one sample in four wrong on long"
            f" inputs), through the local stack with {workers} worker processes"
            f" ({os.cpu_count()} cores), test sets registered by hash, results long-polled."
            f" Written by `crucible bench client` on {when}.",
            "",
            "| mode | wall s | submissions/s | tests run/s | rewards of 1 |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"Cold, the judge itself was busy {cold.judge_s:.1f} s in all ({busy:.1f} s per"
            " worker),"
            f" so {100 * busy / cold.wall_s:.0f}% of the wall time was grading; the cached rerun"
            f" ({runs[2].wall_s:.2f} s for {total:,} results) is what the client, the gateway and"
            " Redis add on their own. The first two rows do the same work with nothing to overlap"
            " (no generation here), so their gap is the machine's other load (the 1-minute load"
            " average as each began is in brackets); what `submit` buys is grading while the"
            " trainer generates.",
            "",
            *built,
        ]
    )


def write_section(text: str, out: Path, language: Language = Language.python) -> Path:
    return splice_section(out / "benchmarks.md", SECTIONS[language], text)


def run_client_report(
    *,
    workers: int,
    problems: int,
    samples: int,
    tests: int,
    out: Path,
    language: Language = Language.python,
) -> int:
    """`crucible bench client`: measure, print and write the section; 0 when every reward was
    the one the step was built to give."""
    shape = {"workers": workers, "problems": problems, "samples": samples}
    runs = run_bench(**shape, tests=tests, language=language)
    text = render(runs, **shape, tests=tests, language=language)
    print(text)
    print(f"crucible bench: wrote {write_section(text, out, language)}", file=sys.stderr)
    expected = problems * (samples - samples // 4)
    return 0 if all(r.rewards == expected for r in runs) else 1
