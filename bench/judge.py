"""`crucible bench judge`: grade workloads in jails and run the same programs bare, on this machine,
in the same run, and write docs/benchmarks.md with plots and raw numbers.

Bare means one `subprocess.run` of the jail's interpreter per test, with the jail's
environment and no sandbox: what a grader without a harness does.  Both modes use the same
number of parallel workers and stop a program at its first failing test.
"""

from __future__ import annotations

import datetime
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.data import (
    ALL,
    LOADERS,
    OVERHEAD_TESTS,
    Item,
    Workload,
    echo_submission,
    stdio15,
    trivial,
    trivial_many,
)
from bench.report import (
    BenchResults,
    DatasetResult,
    Machine,
    ModeRun,
    Overhead,
    median,
    ratio,
    write_report,
)
from crucible.schema import AssertTestSet, RewardResult, StdioTestSet, Submission, Verdict
from workers.judge.comparators import compare_text
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge, select_tests

log = logging.getLogger(__name__)
EXIT_OK, EXIT_DISAGREE, EXIT_BAD_INPUT, EXIT_SANDBOX = 0, 1, 2, 3
# The jail's environment (sandbox_profiles/python.cfg), so numpy starts alike in both modes.
BARE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
NOT_RUN = frozenset({Verdict.skipped, Verdict.no_code, Verdict.compile_error})
ONE_TEST_REPEATS, MANY_TEST_REPEATS = 6, 2


@dataclass(frozen=True, slots=True)
class BareTest:
    source: str
    stdin: str
    expected: str | None  # None: an assert test, passed when the process exits 0


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    passed: bool
    tests_run: int
    latency_s: float
    test_cpu_s: tuple[float, ...] = ()
    error: bool = False


def run_bench(
    *, names: Sequence[str], limit: int | None, workers: int | None, out: Path, datasets: Path
) -> int:
    """`crucible bench judge`: grade the named workloads in jails and run them bare; write the
    report (docs/benchmarks.md and its plots) to `out`."""
    unknown = [n for n in names if n not in ALL]
    if unknown or not names:
        return _fail(f"unknown dataset(s) {unknown}; choose from {', '.join(ALL)}", EXIT_BAD_INPUT)
    if any(n in LOADERS for n in names) and not datasets.is_dir():
        return _fail(f"datasets folder {datasets} not found; pass --datasets PATH", EXIT_BAD_INPUT)
    judge = Judge()
    try:
        runtime = judge.grade(echo_submission(1)).runtime  # also prepares cgroups, once
    except JudgeError as exc:
        return _fail(f"the sandbox does not work: {exc.message}", EXIT_SANDBOX)
    bench = _Bench(judge, workers=workers or os.cpu_count() or 1, limit=limit)
    load_before, started = os.getloadavg(), time.monotonic()
    for name in names:
        if name in LOADERS:
            bench.compare(LOADERS[name](datasets))
        elif name == "trivial":
            bench.trivial()
        else:
            bench.scaling()
    machine = _machine(judge, runtime, load_before)
    results = BenchResults(
        machine,
        bench.workers,
        time.monotonic() - started,
        tuple(bench.results),
        bench.overhead,
        bench.sweep,
    )
    for path in write_report(results, out):
        _say(f"wrote {path}")
    faulty = [r.name for r in results.datasets if r.disagreements or r.ours.errors or r.bare.errors]
    if faulty:
        return _fail(
            f"judge faults or disagreement with bare runs in: {', '.join(faulty)}", EXIT_DISAGREE
        )
    return EXIT_OK


class _Bench:
    """Runs workloads in both modes and keeps what they measured."""

    def __init__(self, judge: Judge, *, workers: int, limit: int | None) -> None:
        self.judge = judge
        self.workers = workers
        self.limit = limit
        self.cores = os.cpu_count() or 1
        self.python = judge.settings.python_path
        self.results: list[DatasetResult] = []
        self.overhead: Overhead | None = None
        self.sweep: tuple[DatasetResult, ...] = ()

    def compare(
        self, workload: Workload, *, workers: int | None = None, keep: bool = True
    ) -> DatasetResult:
        """Grade `workload` in jails and run it bare (`compare_modes`)."""
        items = workload.items[: self.limit] if self.limit is not None else workload.items
        n = workers or self.workers
        result = compare_modes(
            workload,
            items,
            workers=n,
            ours=lambda item: grade_one(self.judge, item),
            bare=lambda item: run_bare_one(item, self.python),
        )
        ours, bare = result.ours, result.bare
        _say(
            f"{workload.name} @ {n} workers: {len(items)} programs, ours {ours.wall_s:.2f} s"
            f" ({ours.passed} passed), bare {bare.wall_s:.2f} s ({bare.passed} passed),"
            f" ratio {ratio(result):.2f}x"
        )
        if keep:
            self.results.append(result)
        return result

    def trivial(self) -> None:
        """Per-test overhead from one-test and many-test echo submissions, then two table rows."""
        one, many = echo_submission(1), echo_submission(OVERHEAD_TESTS)
        one_walls: list[float] = []
        many_walls: list[float] = []
        cpu: tuple[float, ...] = ()
        for _ in range(MANY_TEST_REPEATS):  # interleaved, so both see the same background load
            for _ in range(ONE_TEST_REPEATS // MANY_TEST_REPEATS):
                one_walls.append(grade_one(self.judge, Item("echo", one)).latency_s)
            outcome = grade_one(self.judge, Item("echo", many))
            many_walls.append(outcome.latency_s)
            cpu = cpu or outcome.test_cpu_s
        single = self.compare(trivial_many(), workers=1)
        walls = (*many_walls, single.ours.wall_s)
        self.overhead = Overhead(
            OVERHEAD_TESTS,
            tuple(one_walls),
            walls,
            (single.bare.wall_s,),
            single.bare.tests_run,
            cpu,
        )
        _say(
            f"per-test: one-test {median(one_walls) * 1000:.1f} ms,"
            f" {OVERHEAD_TESTS}-test {median(walls):.2f} s"
        )
        self.compare(trivial())

    def scaling(self) -> None:
        """stdio15 at 1 to 2 x cores workers; the table row is the one at the chosen workers."""
        counts = sorted({*range(1, 2 * self.cores + 1), self.workers})
        self.sweep = tuple(self.compare(stdio15(), workers=n, keep=False) for n in counts)
        self.results.append(next(r for r in self.sweep if r.ours.workers == self.workers))


def compare_modes(
    workload: Workload,
    items: Sequence[Item],
    *,
    workers: int,
    ours: Callable[[Item], Outcome],
    bare: Callable[[Item], Outcome],
) -> DatasetResult:
    """Run `items` sandboxed (`ours`) and bare, each on `workers` threads, in halves ordered
    ours, bare, bare, ours, so that a steady drift in the machine's other load weighs on
    both modes alike; a program the two modes pass differently is a disagreement."""
    first, second = items[: len(items) // 2], items[len(items) // 2 :]
    ours_a = run_parallel(first, workers, "ours", ours)
    bare_a = run_parallel(first, workers, "bare", bare)
    bare_b = run_parallel(second, workers, "bare", bare)
    ours_b = run_parallel(second, workers, "ours", ours)
    ours_run, ours_by_name = merge_runs(ours_a, ours_b)
    bare_run, bare_by_name = merge_runs(bare_a, bare_b)
    disagree = tuple(name for name, ok in ours_by_name.items() if bare_by_name[name] != ok)
    return DatasetResult(workload.name, workload.description, ours_run, bare_run, disagree)


def add_passes(first: DatasetResult, again: DatasetResult) -> DatasetResult:
    """Two passes over the same workload as one: walls, programs and tests added up; a
    program the modes passed differently in either is a disagreement."""
    ours, _ = merge_runs((first.ours, {}), (again.ours, {}))
    bare, _ = merge_runs((first.bare, {}), (again.bare, {}))
    disagree = first.disagreements + tuple(
        name for name in again.disagreements if name not in first.disagreements
    )
    return DatasetResult(first.name, first.description, ours, bare, disagree)


def run_parallel(
    items: Sequence[Item], workers: int, mode: str, run: Callable[[Item], Outcome]
) -> tuple[ModeRun, dict[str, bool]]:
    if not items:
        return ModeRun(mode, workers, 0.0, 0, 0, 0, 0, ()), {}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(run, items))
    wall = time.perf_counter() - started
    mode_run = ModeRun(
        mode=mode,
        workers=workers,
        wall_s=round(wall, 6),
        programs=len(outcomes),
        tests_run=sum(o.tests_run for o in outcomes),
        passed=sum(o.passed for o in outcomes),
        errors=sum(o.error for o in outcomes),
        latencies_s=tuple(round(o.latency_s, 6) for o in outcomes),
        test_cpu_s=tuple(t for o in outcomes for t in o.test_cpu_s),
    )
    return mode_run, {o.name: o.passed for o in outcomes}


def merge_runs(
    first: tuple[ModeRun, dict[str, bool]], second: tuple[ModeRun, dict[str, bool]]
) -> tuple[ModeRun, dict[str, bool]]:
    """One run from two runs over disjoint halves; an empty half adds nothing."""
    a, b = first[0], second[0]
    merged = ModeRun(
        mode=a.mode,
        workers=a.workers,
        wall_s=round(a.wall_s + b.wall_s, 6),
        programs=a.programs + b.programs,
        tests_run=a.tests_run + b.tests_run,
        passed=a.passed + b.passed,
        errors=a.errors + b.errors,
        latencies_s=a.latencies_s + b.latencies_s,
        test_cpu_s=a.test_cpu_s + b.test_cpu_s,
    )
    return merged, first[1] | second[1]


def grade_one(judge: Judge, item: Item) -> Outcome:
    """Grade one submission in its jail; a judge fault is counted, never a pass."""
    started = time.perf_counter()
    try:
        result = judge.grade(item.submission)
    except JudgeError as exc:
        log.warning("judge fault on %s: %s %s", item.name, exc.code, exc.message[-300:])
        return Outcome(item.name, False, 0, time.perf_counter() - started, error=True)
    latency = time.perf_counter() - started
    ran = [t for t in result.tests if t.verdict not in NOT_RUN]
    cpu = tuple(t.time_s for t in ran)
    return Outcome(item.name, _passed(result), len(ran), latency, cpu)


def _passed(result: RewardResult) -> bool:
    return result.reward == 1


def run_bare_one(item: Item, python: str) -> Outcome:
    """Run each test of one submission as its own process, in order, until one fails."""
    submission = item.submission
    tests = bare_tests(submission)
    wall = submission.limits.test_wall_s
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crucible-bare-") as folder:
        files: dict[str, Path] = {}
        ran = 0
        passed = True
        for test in tests:
            if test.source not in files:
                files[test.source] = Path(folder) / f"prog{len(files)}.py"
                files[test.source].write_text(test.source, encoding="utf-8")
            ran += 1
            if not _bare_test_passes(python, files[test.source], test, submission, wall):
                passed = False
                if submission.policy.stop_on_first_failure:
                    break
    return Outcome(item.name, passed, ran, time.perf_counter() - started)


def _bare_test_passes(
    python: str, path: Path, test: BareTest, submission: Submission, wall: float
) -> bool:
    try:
        proc = subprocess.run(
            [python, str(path)],
            input=test.stdin.encode("utf-8", "surrogateescape"),
            capture_output=True,
            timeout=wall,
            cwd=path.parent,
            env=BARE_ENV,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    if proc.returncode != 0:
        return False
    return (
        test.expected is None
        or compare_text(submission.comparator, test.expected, proc.stdout).equal
    )


def bare_tests(submission: Submission) -> list[BareTest]:
    """The judge's own selection of tests, as whole programs to run bare."""
    spec = submission.tests
    if spec is None or submission.code is None:
        raise ValueError("bare runs need a submission with `code` and inline `tests`")
    head = f"{spec.prelude}\n{submission.code}" if spec.prelude else submission.code
    selected = select_tests(spec, submission)
    if isinstance(spec, StdioTestSet):
        return [BareTest(head, t.payload, t.expected) for t in selected]
    if isinstance(spec, AssertTestSet):
        check = f"\ncheck({spec.entry_point})\n" if spec.entry_point else "\n"
        return [BareTest(f"{head}\n{t.payload}{check}", "", None) for t in selected]
    raise ValueError("function-call test sets have no bare runner")


def _machine(judge: Judge, runtime: str, load_before: tuple[float, float, float]) -> Machine:
    probe = "import platform; print(platform.python_implementation(), platform.python_version())"
    bare = subprocess.run(
        [judge.settings.python_path, "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return Machine(
        cores=os.cpu_count() or 1,
        cpu=cpu_model(),
        kernel=platform.release(),
        jail_python=runtime,
        bare_python=f"{bare.stdout.strip()} ({judge.settings.python_path})",
        host_python=platform.python_version(),
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load_before=load_before,
        load_after=os.getloadavg(),
    )


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.machine()
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def _say(line: str) -> None:
    print(f"crucible bench: {line}", file=sys.stderr, flush=True)


def _fail(message: str, code: int) -> int:
    _say(message)
    return code
