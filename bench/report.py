"""What `crucible bench` measured, the statistics drawn from it, and its report.

Pure data and arithmetic plus the markdown and the two plots; nothing here runs programs.
The numbers of one run travel as `BenchResults`, which is also what bench-results.json holds.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.doc import carry_sections

OVERHEAD_TARGET_MS = 2.0
RATIO_TARGET = 0.8
# bench-results.json keys written by other runs (the parity check, the C and C++ benchmark),
# kept by a rewrite.
CARRIED_KEYS = ("parity", "languages")


@dataclass(frozen=True, slots=True)
class ModeRun:
    """One pass over a workload, sandboxed ("ours") or bare."""

    mode: str
    workers: int
    wall_s: float
    programs: int
    tests_run: int
    passed: int
    errors: int
    latencies_s: tuple[float, ...]
    test_cpu_s: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class DatasetResult:
    name: str
    description: str
    ours: ModeRun
    bare: ModeRun
    disagreements: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Overhead:
    """The trivial echo program: one-test submissions and one many-test submission, in a jail,
    and the same tests run bare one interpreter each."""

    tests: int
    one_test_walls_s: tuple[float, ...]
    many_test_walls_s: tuple[float, ...]
    bare_walls_s: tuple[float, ...]
    bare_tests: int
    child_cpu_s: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Machine:
    cores: int
    cpu: str
    kernel: str
    jail_python: str
    bare_python: str
    host_python: str
    date: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class BenchResults:
    machine: Machine
    workers: int
    total_s: float
    datasets: tuple[DatasetResult, ...]
    overhead: Overhead | None
    sweep: tuple[DatasetResult, ...]


# --- statistics ------------------------------------------------------------------------------


def median(values: tuple[float, ...] | list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: tuple[float, ...] | list[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def programs_per_s(run: ModeRun) -> float:
    return run.programs / run.wall_s if run.wall_s > 0 else math.nan


def tests_per_s(run: ModeRun) -> float:
    return run.tests_run / run.wall_s if run.wall_s > 0 else math.nan


def ratio(result: DatasetResult) -> float:
    """Sandboxed throughput over bare throughput (tests/s); above 1 means we are faster."""
    bare = tests_per_s(result.bare)
    return tests_per_s(result.ours) / bare if bare > 0 else math.nan


def core_ms_per_test(run: ModeRun, cores: int) -> float:
    """Machine time one test costs: wall time times the cores in use, over tests run."""
    if run.tests_run == 0:
        return math.nan
    return 1000 * run.wall_s * min(run.workers, cores) / run.tests_run


def marginal_ms_per_test(overhead: Overhead) -> float:
    """The cost of one more test in a jail: (many-test wall - one-test wall) / extra tests."""
    return marginal_ms(overhead.one_test_walls_s, overhead.many_test_walls_s, overhead.tests)


def marginal_ms(one_walls: tuple[float, ...], many_walls: tuple[float, ...], tests: int) -> float:
    """What one more test costs, from one-test and `tests`-test submissions' walls."""
    return 1000 * (median(many_walls) - median(one_walls)) / (tests - 1)


def jail_start_ms(overhead: Overhead) -> float:
    """What a submission pays once: its one-test wall time less the marginal test."""
    return 1000 * median(overhead.one_test_walls_s) - marginal_ms_per_test(overhead)


def bare_ms_per_test(overhead: Overhead) -> float:
    return 1000 * median(overhead.bare_walls_s) / overhead.bare_tests


def break_even_tests(overhead: Overhead) -> float:
    """Tests per program from which a jail beats one interpreter per test."""
    saving = bare_ms_per_test(overhead) - marginal_ms_per_test(overhead)
    return jail_start_ms(overhead) / saving if saving > 0 else math.inf


# --- report ----------------------------------------------------------------------------------


def write_report(results: BenchResults, out: Path) -> list[Path]:
    """Write benchmarks.md, bench-results.json and the plots into `out`; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "bench-results.json", out / "benchmarks.md"]
    numbers = asdict(results)
    # The parity check's and the languages benchmark's numbers are written by their own runs
    # (bench/parity/report.py, bench/languages_report.py).
    old_numbers = json.loads(written[0].read_text()) if written[0].is_file() else {}
    numbers.update({k: old_numbers[k] for k in CARRIED_KEYS if k in old_numbers})
    written[0].write_text(json.dumps(numbers, indent=1) + "\n")
    if results.sweep:
        from bench.plots import plot_latency, plot_throughput

        throughput = out / "bench-throughput.png"
        written.append(plot_throughput(results.sweep, throughput, cores=results.machine.cores))
        stdio = _at_workers(results.sweep, results.workers)
        written.append(plot_latency(stdio, out / "bench-latency.png"))
    # The other benchmarks' sections stay: they are written by other runs (bench/doc.py).
    old = written[1].read_text() if written[1].is_file() else ""
    written[1].write_text(carry_sections(old, render_markdown(results)))
    return written


def _at_workers(sweep: tuple[DatasetResult, ...], workers: int) -> DatasetResult:
    return min(sweep, key=lambda r: abs(r.ours.workers - workers))


def render_markdown(results: BenchResults) -> str:
    parts = [
        _header(results),
        _table(results),
        _targets(results),
        _overhead_section(results.overhead),
        _scaling_section(results),
        _rerun_section(),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _header(results: BenchResults) -> str:
    m = results.machine
    load = f"{m.load_before[0]:.1f} before, {m.load_after[0]:.1f} after"
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `crucible bench judge`: the judge (warm nsjail jails, one submission at a"
            " time, one fork per test) against the same programs run bare (one"
            " `subprocess.run` of the same interpreter per test, no sandbox), on the same"
            " machine, in the same run, with the"
            " same number of parallel workers, both stopping a program at its first failing test."
            " Each dataset runs in halves ordered sandboxed, bare, bare, sandboxed, so that drift"
            " in the machine's other load weighs on both modes alike: on a shared machine the"
            " ratios are more trustworthy than the absolute numbers.",
            "",
            f"- Machine: {m.cores} cores, {m.cpu}, Linux {m.kernel}",
            f"- Programs run on: {m.jail_python} in the jail, {m.bare_python} bare",
            f"- Bench driver: Python {m.host_python}; {results.workers} workers in parallel",
            f"- Date: {m.date}; whole run {results.total_s:.0f} s; 1-minute load average {load}",
        ]
    )


def _table(results: BenchResults) -> str:
    cores = results.machine.cores
    rows = [
        "## Results per dataset",
        "",
        "| dataset | programs | tests | passed ours / bare | wall s ours / bare "
        "| programs/s ours / bare | tests/s ours / bare | ratio | ms/test ours / bare "
        "| overhead ms/test |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results.datasets:
        ours_ms, bare_ms = core_ms_per_test(r.ours, cores), core_ms_per_test(r.bare, cores)
        rows.append(
            f"| {r.name} | {r.ours.programs} | {r.ours.tests_run}"
            f" | {r.ours.passed} / {r.bare.passed}"
            f" | {r.ours.wall_s:.2f} / {r.bare.wall_s:.2f}"
            f" | {_n(programs_per_s(r.ours))} / {_n(programs_per_s(r.bare))}"
            f" | {_n(tests_per_s(r.ours))} / {_n(tests_per_s(r.bare))}"
            f" | **{ratio(r):.2f}x** | {ours_ms:.1f} / {bare_ms:.1f} | {ours_ms - bare_ms:+.1f} |"
        )
    rows += ["", *_dataset_notes(results)]
    return "\n".join(rows)


def _n(value: float) -> str:
    """Three significant figures, without exponents, for rates from 0.01 to thousands."""
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _dataset_notes(results: BenchResults) -> list[str]:
    notes = [f"- **{r.name}**: {r.description}" for r in results.datasets]
    notes += [
        "",
        "*tests* counts the tests that ran (after a failure the rest are skipped, in both modes)."
        " *ratio* is sandboxed tests/s over bare tests/s. *ms/test* is machine time per test"
        " (wall time x cores in use / tests); *overhead* is ours minus bare, so a negative"
        " number means the jail costs less per test than a fresh interpreter does.",
    ]
    for r in results.datasets:
        if r.disagreements or r.ours.errors:
            shown = ", ".join(r.disagreements[:10])
            notes.append(
                f"- **{r.name}: ours and bare disagree** on {len(r.disagreements)} programs"
                f" ({shown}); judge faults: {r.ours.errors}."
            )
    return notes


def _targets(results: BenchResults) -> str:
    lines = ["## Targets", ""]
    if results.overhead is not None:
        marginal = marginal_ms_per_test(results.overhead)
        met = "met" if marginal <= OVERHEAD_TARGET_MS else "**not met**"
        lines.append(
            f"- Per-test overhead <= {OVERHEAD_TARGET_MS:g} ms for trivial programs:"
            f" {marginal:.2f} ms, {met}."
        )
    for r in results.datasets:
        value = ratio(r)
        verdict = "met" if value >= RATIO_TARGET else "**not met**"
        lines.append(
            f"- Throughput >= {RATIO_TARGET:g}x bare on {r.name}: {value:.2f}x, {verdict}"
            f"{_why(r, results.overhead)}."
        )
    return "\n".join(lines)


def _why(result: DatasetResult, overhead: Overhead | None) -> str:
    if ratio(result) >= RATIO_TARGET or overhead is None or result.ours.programs == 0:
        return ""
    per_program = result.ours.tests_run / result.ours.programs
    return (
        f" ({per_program:.1f} tests per program: each program pays one jail start,"
        f" about {jail_start_ms(overhead):.0f} ms here, where bare pays one interpreter start"
        f" per test, about {bare_ms_per_test(overhead):.0f} ms; a jail only wins from about"
        f" {break_even_tests(overhead):.1f} tests per program)"
    )


def _overhead_section(overhead: Overhead | None) -> str:
    if overhead is None:
        return ""
    one, many = median(overhead.one_test_walls_s), median(overhead.many_test_walls_s)
    return "\n".join(
        [
            "## Per-test overhead",
            "",
            "The trivial program `import sys; sys.stdout.write(sys.stdin.read())` on small inputs,"
            " one submission at a time.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| 1-test submission, wall (median of {len(overhead.one_test_walls_s)}) "
            f"| {1000 * one:.1f} ms |",
            f"| {overhead.tests}-test submission, wall (median of "
            f"{len(overhead.many_test_walls_s)}) | {many:.2f} s |",
            f"| marginal cost of one more test in the jail "
            f"| {marginal_ms_per_test(overhead):.2f} ms |",
            f"| of which CPU time of the test's forked child (median) "
            f"| {1000 * median(overhead.child_cpu_s):.2f} ms |",
            f"| one jail start (1-test wall less one test) | {jail_start_ms(overhead):.1f} ms |",
            f"| bare, one interpreter per test ({overhead.bare_tests} tests, sequential) "
            f"| {bare_ms_per_test(overhead):.1f} ms |",
            f"| tests per program from which the jail wins | {break_even_tests(overhead):.1f} |",
        ]
    )


def _scaling_section(results: BenchResults) -> str:
    if not results.sweep:
        return ""
    stdio = _at_workers(results.sweep, results.workers)
    lines = [
        "## Scaling and latency (stdio15)",
        "",
        "![throughput against workers](bench-throughput.png)",
        "",
        "| workers | tests/s ours | tests/s bare | ratio |",
        "|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.ours.workers} | {tests_per_s(r.ours):.0f} | {tests_per_s(r.bare):.0f}"
        f" | {ratio(r):.2f}x |"
        for r in results.sweep
    ]
    lines += ["", "![per-submission latency](bench-latency.png)", "", _latency_table(stdio)]
    return "\n".join(lines)


def _latency_table(result: DatasetResult) -> str:
    rows = [
        f"Per-submission latency at {result.ours.workers} workers (ms):",
        "",
        "| mode | p50 | p90 | p99 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for run in (result.ours, result.bare):
        ms = [1000 * v for v in run.latencies_s]
        rows.append(
            f"| {run.mode} | {percentile(ms, 50):.0f} | {percentile(ms, 90):.0f}"
            f" | {percentile(ms, 99):.0f} | {max(ms, default=math.nan):.0f} |"
        )
    return "\n".join(rows)


def _rerun_section() -> str:
    return "\n".join(
        [
            "## How to rerun",
            "",
            "```bash",
            "make bench                                     # everything, into docs/",
            ".venv/bin/crucible bench judge --dataset humaneval,stdio15 --limit 50 --workers 2",
            ".venv/bin/crucible bench all --datasets /path/to/shared/datasets --out /tmp/bench",
            ".venv/bin/crucible bench languages --workers 2 # C and C++ against bare",
            "```",
            "",
            "Datasets: humaneval, leetcode, mbpp, kattis (from the shared datasets folder),"
            " trivial and stdio15 (synthetic), or `all` (which also runs `parity`,"
            " `languages` and `service`, each of which can run alone). `--limit` caps"
            " programs per dataset."
            " The raw numbers, latencies included, are in `bench-results.json`. The command"
            " exits 1 when the judge faulted or disagreed with bare execution on any program.",
        ]
    )
