"""What `crucible bench languages` measured, the statistics drawn from it, and its part of the
report: one `## ` section of docs/benchmarks.md and the `languages` key of
docs/bench-results.json, each replaced in place (the other benchmarks' parts stay).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.doc import LANGUAGES_SECTION, splice_section
from bench.report import (
    DatasetResult,
    Overhead,
    bare_ms_per_test,
    jail_start_ms,
    marginal_ms,
    marginal_ms_per_test,
    median,
    percentile,
    ratio,
    tests_per_s,
)

SECTION = LANGUAGES_SECTION
RESULTS_KEY = "languages"
# A trivial C++ program's tests cost at most 1 ms more than bare ones, and C, C++, Rust and Go
# grade at least as fast as bare (`Throughput.held`); the other languages are reported.
OVERHEAD_TARGET_MS = 1.0
RATIO_TARGET = 1.0


@dataclass(frozen=True, slots=True)
class CompileTimes:
    """Builds of one program: fresh in the compile jail, fresh on the host bare, and again
    from the worker's artifact cache (seconds, each build's wall time)."""

    language: str
    program: str
    ours_s: tuple[float, ...]
    bare_s: tuple[float, ...]
    cached_s: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Throughput:
    """One workload both ways: every program built fresh (`cold`), then the same programs
    again (`warm`: ours from the artifact cache, bare the binaries it built)."""

    cold: DatasetResult
    warm: DatasetResult
    held: bool = True  # held to RATIO_TARGET (C, C++, Rust, Go); else only reported


@dataclass(frozen=True, slots=True)
class LanguageOverhead:
    """The trivial a+b program's per-test costs in one language (`Overhead`)."""

    language: str
    overhead: Overhead


@dataclass(frozen=True, slots=True)
class CheckerCost:
    """The trivial C++ program's tests decided one way (the default comparator or a checker
    of one protocol): one-test and many-test submissions' walls."""

    name: str
    tests: int
    one_test_walls_s: tuple[float, ...]
    many_test_walls_s: tuple[float, ...]

    def ms_per_test(self) -> float:
        return marginal_ms(self.one_test_walls_s, self.many_test_walls_s, self.tests)


@dataclass(frozen=True, slots=True)
class Host:
    cores: int
    cpu: str
    kernel: str
    toolchains: tuple[str, ...]
    host_python: str
    date: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    # Whether cgroup moves were favoured (favordynmods, workers/judge/cgroups.py) in the run.
    dynmods: str = "not checked"


@dataclass(frozen=True, slots=True)
class LanguagesResults:
    host: Host
    workers: int
    total_s: float
    compiles: tuple[CompileTimes, ...]
    per_test: tuple[LanguageOverhead, ...]  # per language; bare runs the build made once
    same_binary: bool  # the compile jail and the host built it into the same bytes
    throughput: tuple[Throughput, ...]
    checkers: tuple[CheckerCost, ...] = ()  # the first decides by the default comparator


# --- statistics ------------------------------------------------------------------------------


def ms(values: tuple[float, ...], q: float) -> float:
    """The q-th percentile of `values` (seconds), in milliseconds."""
    return 1000 * percentile(values, q)


def overhead_ms(per_test: Overhead) -> float:
    """What one more test costs in the jail beyond what it costs bare."""
    return marginal_ms_per_test(per_test) - bare_ms_per_test(per_test)


def cpp_overhead(results: LanguagesResults) -> Overhead:
    """The trivial C++ program's costs, which the per-test target is about."""
    return next(o.overhead for o in results.per_test if o.language == "C++")


def passes(results: LanguagesResults) -> list[tuple[str, DatasetResult, bool]]:
    """Every workload's passes, named, and whether held to the target: cold then warm."""
    return [
        (name, r, t.held)
        for t in results.throughput
        for name, r in (("cold", t.cold), ("warm", t.warm))
    ]


def faulty(results: LanguagesResults) -> list[str]:
    """The passes with judge faults or programs the two modes passed differently."""
    return [f"{r.name} ({name})" for name, r, _ in passes(results) if _trouble(r)]


def _trouble(result: DatasetResult) -> bool:
    return bool(result.disagreements or result.ours.errors or result.bare.errors)


# --- report ----------------------------------------------------------------------------------


def write_languages_report(results: LanguagesResults, out: Path) -> list[Path]:
    """Splice the section into out/benchmarks.md and the numbers into out/bench-results.json."""
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "bench-results.json"
    numbers = json.loads(raw.read_text()) if raw.is_file() else {}
    numbers[RESULTS_KEY] = asdict(results)
    raw.write_text(json.dumps(numbers, indent=1) + "\n")
    report = splice_section(out / "benchmarks.md", SECTION, render_section(results))
    return [raw, report]


def render_section(results: LanguagesResults) -> str:
    parts = [
        _header(results),
        _compile_table(results.compiles),
        _per_test_table(cpp_overhead(results), same_binary=results.same_binary),
        _languages_table(results.per_test),
        _checkers_table(results.checkers),
        _throughput_table(results),
        _targets(results),
    ]
    return "\n\n".join(parts) + "\n"


def _header(results: LanguagesResults) -> str:
    h = results.host
    load = f"{h.load_before[0]:.1f} before, {h.load_after[0]:.1f} after"
    return "\n".join(
        [
            SECTION,
            "",
            "Written by `crucible bench languages`: programs in every language but Python built"
            " in the worker's warm compile jail (one jail for build after build, emptied"
            " between them) and run in the warm run jail (a plain stdio test's process"
            " started by the launcher library's steps in a clone of the harness, one exec, from"
            " the harness's loop in C), against the same sources"
            " built by the same toolchain with the same flags on the host and run bare by the"
            " same command line (one `subprocess.run` per test, no sandbox), on the same"
            " machine, in the same run, both stopping a program at its first failing test."
            " Each workload runs in halves ordered sandboxed, bare, bare, sandboxed. For"
            " throughput, ours grades in as many worker processes as bare runs threads, each"
            " with a judge of its own, as `crucible worker --processes N` does.",
            "",
            f"- Machine: {h.cores} cores, {h.cpu}, Linux {h.kernel}; cgroup favordynmods"
            f" {h.dynmods}",
            *(f"- Toolchain: {chain}" for chain in h.toolchains),
            f"- Bench driver: Python {h.host_python}; {results.workers} workers in parallel",
            f"- Date: {h.date}; whole run {results.total_s:.0f} s; 1-minute load average {load}",
        ]
    )


def _compile_table(compiles: tuple[CompileTimes, ...]) -> str:
    rows = [
        "### Compile time",
        "",
        "Builds one at a time, ours and bare interleaved, each source new to both (a leading"
        " comment with a fresh tag), so neither reuses a build: ours is `Compiler.build` in the"
        " warm compile jail, bare the same command line run on the host. *Cached* is"
        " `Compiler.build` again on a source this worker built before (its artifact cache).",
        "",
        "| language | program | builds | ours p50 / p90 ms | bare p50 / p90 ms"
        " | the jail adds, p50 ms | cached p50 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for c in compiles:
        rows.append(
            f"| {c.language} | {c.program} | {len(c.ours_s)}"
            f" | {ms(c.ours_s, 50):.0f} / {ms(c.ours_s, 90):.0f}"
            f" | {ms(c.bare_s, 50):.0f} / {ms(c.bare_s, 90):.0f}"
            f" | {ms(c.ours_s, 50) - ms(c.bare_s, 50):+.0f} | {ms(c.cached_s, 50):.2f} |"
        )
    return "\n".join(rows)


def _per_test_table(per_test: Overhead, *, same_binary: bool) -> str:
    one, many = median(per_test.one_test_walls_s), median(per_test.many_test_walls_s)
    same = (
        "byte for byte the program the compile jail built"
        if same_binary
        else "**not** byte for byte the program the compile jail built"
    )
    return "\n".join(
        [
            "### Per-test overhead (trivial C++)",
            "",
            "`std::cin >> a >> b; std::cout << a + b` on small inputs, built once (ours from"
            " the artifact cache), one submission at a time; bare runs the host's build of"
            f" the same source ({same}) once per test, one after another.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| 1-test submission, wall (median of {len(per_test.one_test_walls_s)})"
            f" | {1000 * one:.1f} ms |",
            f"| {per_test.tests}-test submission, wall (median of"
            f" {len(per_test.many_test_walls_s)}) | {1000 * many:.0f} ms |",
            f"| ours: marginal cost of one more test in the jail"
            f" | {marginal_ms_per_test(per_test):.2f} ms |",
            f"| of which CPU time of the test's process (median)"
            f" | {1000 * median(per_test.child_cpu_s):.2f} ms |",
            f"| one jail start with a cached build (1-test wall less one test)"
            f" | {jail_start_ms(per_test):.1f} ms |",
            f"| bare: one process per test ({per_test.bare_tests} tests, median of"
            f" {len(per_test.bare_walls_s)}) | {bare_ms_per_test(per_test):.2f} ms |",
            f"| overhead per test, ours less bare | {overhead_ms(per_test):+.2f} ms |",
        ]
    )


def _languages_table(per_test: tuple[LanguageOverhead, ...]) -> str:
    rows = [
        "### Per-test cost in every language (trivial a+b)",
        "",
        "The same measure for each language's trivial a+b program: what one more test costs"
        " in the jail, what one test costs bare, and the CPU time of the test's process (a"
        " VM's start-up is most of it for Java, JavaScript and PyPy).",
        "",
        "| language | tests | ours ms/test | bare ms/test | ours less bare | test CPU ms"
        " | jail start ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in per_test:
        o = entry.overhead
        rows.append(
            f"| {entry.language} | {o.tests} | {marginal_ms_per_test(o):.2f}"
            f" | {bare_ms_per_test(o):.2f} | {overhead_ms(o):+.2f}"
            f" | {1000 * median(o.child_cpu_s):.2f} | {jail_start_ms(o):.1f} |"
        )
    return "\n".join(rows)


def _checkers_table(checkers: tuple[CheckerCost, ...]) -> str:
    if not checkers:
        return "### Checker and interactor cost per test\n\nNot measured in this run."
    base = checkers[0].ms_per_test()
    rows = [
        "### Checker and interactor cost per test",
        "",
        "The trivial C++ program's tests decided by the default comparator, then by a checker"
        " of each protocol (each a few lines of our own: the first token against the"
        " answer's), which runs per test in a jail of its own beside the program's"
        " ([runtime.md](runtime.md#checkers)): what one more test costs in each case, and"
        " what the checker adds. A Python checker is forked from its jail's harness, not"
        " started. Then an interactive problem of the bench's own: a C++ binary search for a"
        " number in 1..1000 against a Kattis-protocol interactor, joined by pipes, about ten"
        " questions and answers a test ([runtime.md](runtime.md#interactive-problems)); and a"
        " communication task's manager that gives a and b to two runs of the program at once"
        " and checks both ([runtime.md](runtime.md#communication-tasks)).",
        "",
        "| decided by | tests | ms/test | the checker adds |",
        "|---|---:|---:|---:|",
    ]
    for c in checkers:
        added = "" if c is checkers[0] else f"{c.ms_per_test() - base:+.2f} ms"
        rows.append(f"| {c.name} | {c.tests} | {c.ms_per_test():.2f} | {added} |")
    return "\n".join(rows)


def _throughput_table(results: LanguagesResults) -> str:
    rows = [
        f"### Throughput against bare, {results.workers} workers",
        "",
        "| workload | pass | programs | tests | passed ours / bare | wall s ours / bare"
        " | tests/s ours / bare | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r, _ in passes(results):
        rows.append(
            f"| {r.name} | {name} | {r.ours.programs} | {r.ours.tests_run}"
            f" | {r.ours.passed} / {r.bare.passed} | {r.ours.wall_s:.2f} / {r.bare.wall_s:.2f}"
            f" | {tests_per_s(r.ours):.0f} / {tests_per_s(r.bare):.0f} | **{ratio(r):.2f}x** |"
        )
    rows += [
        "",
        *(f"- **{t.cold.name}**: {t.cold.description}" for t in results.throughput),
        "",
        "*cold*: every program built fresh in both modes (ours in the worker's warm compile"
        " jail), so the build is part of each program's time, as for RL samples no one has"
        " built before; each cold pass makes every source new again. *warm*: the first cold"
        " pass's programs again, ours from the worker's artifact cache and bare from the"
        " binaries it built, so only the runs count. Both kinds of pass repeat until each mode"
        " has run for 3 s in all (a single pass lasts a fraction of a second, where one"
        " program's tail decides the ratio), and *programs* and *tests* count every"
        " repeat. *ratio* is sandboxed tests/s"
        " over bare tests/s (bare wall time over ours when both ran the same tests); above 1"
        " the jail is faster.",
    ]
    for name, r, _ in passes(results):
        if _trouble(r):
            shown = ", ".join(r.disagreements[:10])
            rows.append(
                f"- **{r.name} ({name}): ours and bare disagree** on {len(r.disagreements)}"
                f" programs ({shown}); judge faults: {r.ours.errors}; bare faults:"
                f" {r.bare.errors}."
            )
    return "\n".join(rows)


def _targets(results: LanguagesResults) -> str:
    cpp = cpp_overhead(results)
    marginal = overhead_ms(cpp)
    lines = [
        "### Targets",
        "",
        f"- Per-test overhead <= {OVERHEAD_TARGET_MS:g} ms for a trivial C++ program:"
        f" {marginal:+.2f} ms ({marginal_ms_per_test(cpp):.2f} ms a test in the"
        f" jail, {bare_ms_per_test(cpp):.2f} ms bare),"
        f" {_met(marginal <= OVERHEAD_TARGET_MS)}.",
    ]
    for name, r, held in passes(results):
        value = ratio(r)
        verdict = _met(value >= RATIO_TARGET) if held else "reported, no target"
        lines.append(
            f"- Throughput >= {RATIO_TARGET:.1f}x bare on {r.name}, {name}:"
            f" {value:.2f}x, {verdict}."
        )
    for c in results.compiles:
        lines.append(
            f"- Compile time p50, {c.language} {c.program}: {ms(c.ours_s, 50):.0f} ms in the"
            f" jail ({ms(c.bare_s, 50):.0f} ms bare)."
        )
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"  # a NaN compares False: not met
