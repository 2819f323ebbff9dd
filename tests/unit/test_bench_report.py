"""The benchmark's arithmetic, its report and its bare test programs; no timings asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.judge import bare_tests
from bench.report import (
    BenchResults,
    DatasetResult,
    Machine,
    ModeRun,
    Overhead,
    bare_ms_per_test,
    break_even_tests,
    core_ms_per_test,
    jail_start_ms,
    marginal_ms_per_test,
    median,
    percentile,
    programs_per_s,
    ratio,
    render_markdown,
    write_report,
)
from bench.report import tests_per_s as per_second  # not collected as a test
from crucible.schema import AssertTestSet, StdioCase, StdioTestSet, Submission


def _run(
    mode: str, wall: float, *, programs: int = 10, tests: int = 100, workers: int = 2
) -> ModeRun:
    return ModeRun(
        mode=mode,
        workers=workers,
        wall_s=wall,
        programs=programs,
        tests_run=tests,
        passed=programs,
        errors=0,
        latencies_s=tuple(0.1 * (i + 1) for i in range(programs)),
    )


def _result(name: str, ours_wall: float, bare_wall: float, **kwargs: int) -> DatasetResult:
    return DatasetResult(
        name,
        f"{name} programs",
        _run("ours", ours_wall, **kwargs),
        _run("bare", bare_wall, **kwargs),
    )


OVERHEAD = Overhead(
    tests=1001,
    one_test_walls_s=(0.05, 0.06, 0.07),
    many_test_walls_s=(2.06, 2.06),
    bare_walls_s=(21.0,),
    bare_tests=1000,
    child_cpu_s=(0.001, 0.002, 0.003),
)
MACHINE = Machine(
    2,
    "Test CPU",
    "6.1.0",
    "CPython 3.11.2",
    "CPython 3.11.2",
    "3.12.1",
    "2026-01-01",
    (0.5, 0, 0),
    (1.0, 0, 0),
)


def _results(*datasets: DatasetResult, sweep: tuple[DatasetResult, ...] = ()) -> BenchResults:
    return BenchResults(MACHINE, 2, 60.0, datasets, OVERHEAD, sweep)


def test_median_and_percentile() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert math.isnan(median([]))
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile([1.0, 2.0], 90) == pytest.approx(1.9)
    assert math.isnan(percentile([], 50))


def test_throughput_and_ratio() -> None:
    result = _result("x", ours_wall=2.0, bare_wall=4.0)
    assert programs_per_s(result.ours) == 5.0
    assert per_second(result.bare) == 25.0
    assert ratio(result) == 2.0
    assert core_ms_per_test(result.ours, cores=2) == 40.0
    assert core_ms_per_test(result.ours, cores=1) == 20.0  # more workers than cores
    empty = ModeRun("ours", 1, 0.0, 0, 0, 0, 0, ())
    assert math.isnan(per_second(empty))
    assert math.isnan(core_ms_per_test(empty, cores=2))


def test_overhead_arithmetic() -> None:
    assert marginal_ms_per_test(OVERHEAD) == pytest.approx(2.0)  # (2.06 - 0.06) s / 1000
    assert jail_start_ms(OVERHEAD) == pytest.approx(58.0)
    assert bare_ms_per_test(OVERHEAD) == pytest.approx(21.0)
    assert break_even_tests(OVERHEAD) == pytest.approx(58.0 / 19.0)
    costly = Overhead(11, (0.05,), (0.55,), (0.01,), 1, ())  # a test costs more than bare
    assert break_even_tests(costly) == math.inf


def test_markdown_states_targets_met_and_missed() -> None:
    fast, slow = _result("fast", 1.0, 4.0), _result("slow", 4.0, 1.0, programs=100, tests=100)
    text = render_markdown(_results(fast, slow))
    assert text.startswith("# Benchmarks\n")
    assert (
        "| fast | 10 | 100 | 10 / 10 | 1.00 / 4.00 | 10.0 / 2.50 | 100 / 25.0 | **4.00x** |" in text
    )
    assert "Throughput >= 0.8x bare on fast: 4.00x, met." in text
    assert "Throughput >= 0.8x bare on slow: 0.25x, **not met** (1.0 tests per program" in text
    assert "about 58 ms here" in text
    assert "Per-test overhead <= 2 ms for trivial programs: 2.00 ms, met." in text
    assert "## How to rerun" in text and "crucible bench" in text
    assert "bench-throughput.png" not in text  # no sweep, no plots


def test_markdown_reports_disagreement() -> None:
    base = _result("mixed", 1.0, 1.0)
    mixed = DatasetResult(base.name, base.description, base.ours, base.bare, ("task/1",))
    assert "ours and bare disagree** on 1 programs (task/1)" in render_markdown(_results(mixed))


def test_write_report_files(tmp_path: Path) -> None:
    sweep = tuple(_result("stdio15", 1.0 / n, 3.0 / n, workers=n) for n in (1, 2, 3, 4))
    results = _results(_result("a", 1.0, 2.0), sweep=sweep)
    written = write_report(results, tmp_path)
    assert {p.name for p in written} == {
        "bench-results.json",
        "benchmarks.md",
        "bench-throughput.png",
        "bench-latency.png",
    }
    raw = json.loads((tmp_path / "bench-results.json").read_text())
    assert raw["datasets"][0]["ours"]["wall_s"] == 1.0
    assert len(raw["sweep"]) == 4
    for name in ("bench-throughput.png", "bench-latency.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "| 4 | 400 | 133 | 3.00x |" in text
    assert "Per-submission latency at 2 workers" in text


def test_bare_tests_mirror_the_judges_tests() -> None:
    stdio = Submission(
        code="print(input())", tests=StdioTestSet(cases=[StdioCase(input="a\n", output="a\n")] * 2)
    )
    assert [(t.source, t.stdin, t.expected) for t in bare_tests(stdio)] == [
        ("print(input())", "a\n", "a\n")
    ] * 2
    mbpp = Submission(
        code="def f(x):\n    return x + 1\n",
        tests=AssertTestSet(code="assert f(1) == 2\nassert f(2) == 4\n"),
    )
    humaneval = Submission(
        code="def g(x):\n    return x * 2\n",
        tests=AssertTestSet(code="def check(c):\n    assert c(2) == 4\n", entry_point="g"),
    )
    outcomes = [_exit_code(t.source) for t in [*bare_tests(mbpp), *bare_tests(humaneval)]]
    assert outcomes == [0, 1, 0]


def _exit_code(source: str) -> int:
    return subprocess.run(
        [sys.executable, "-c", source], capture_output=True, timeout=30, check=False
    ).returncode
