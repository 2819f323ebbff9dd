"""The languages benchmark's arithmetic, its report section, its workloads and its bare runner
(host gcc builds a tiny program); no timings asserted."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bench.data import (
    ADD,
    DEFAULT_DATASETS,
    NATIVE_WRONG_SUMS,
    Item,
    Workload,
    adder_submission,
    guess_submission,
    kattis_native,
    stdio15_native,
)
from bench.doc import CLIENT_SECTION, LANGUAGES_SECTION, carry_sections
from bench.judge import Outcome, add_passes
from bench.languages_report import (
    CheckerCost,
    CompileTimes,
    Host,
    LanguageOverhead,
    LanguagesResults,
    Throughput,
    faulty,
    ms,
    overhead_ms,
    passes,
    render_section,
    write_languages_report,
)
from bench.native import BareBuilds, compile_bare, run_bare_native
from bench.report import DatasetResult, ModeRun, Overhead, ratio
from crucible.schema import CheckerProtocol, Language, StdioCase, StdioTestSet, Submission


def _run(mode: str, wall: float, *, programs: int = 8, tests: int = 120) -> ModeRun:
    latencies = tuple(0.01 * (i + 1) for i in range(programs))
    return ModeRun(mode, 2, wall, programs, tests, programs - 2, 0, latencies)


def _result(
    name: str, ours: float, bare: float, *, disagree: tuple[str, ...] = ()
) -> DatasetResult:
    return DatasetResult(name, f"{name} programs", _run("ours", ours), _run("bare", bare), disagree)


PER_TEST = Overhead(
    tests=201,
    one_test_walls_s=(0.010, 0.012, 0.014),
    many_test_walls_s=(0.612, 0.612),
    bare_walls_s=(0.400, 0.402, 0.398),
    bare_tests=200,
    child_cpu_s=(0.001, 0.0012, 0.0014),
)
HOST = Host(
    cores=2,
    cpu="Test CPU",
    kernel="6.1.0",
    toolchains=("gcc 12.2.0 -O2 -std=c11", "g++ 12.2.0 -O2 -std=c++17"),
    host_python="3.13.0",
    date="2026-01-01 00:00 UTC",
    load_before=(0.5, 0.0, 0.0),
    load_after=(1.0, 0.0, 0.0),
)
COMPILES = (
    CompileTimes("C++", "trivial", (0.30, 0.10, 0.20, 0.40), (0.05, 0.15), (0.0001, 0.0003)),
)


JAVA = replace(PER_TEST, tests=21, many_test_walls_s=(1.212,), bare_walls_s=(1.0,), bare_tests=20)


def _results(
    *throughput: Throughput, per_test: Overhead = PER_TEST, same: bool = True
) -> LanguagesResults:
    languages = (LanguageOverhead("Java", JAVA), LanguageOverhead("C++", per_test))
    return LanguagesResults(HOST, 2, 90.0, COMPILES, languages, same, throughput)


def test_percentiles_in_milliseconds_and_the_overhead_per_test() -> None:
    assert ms((0.30, 0.10, 0.20, 0.40), 50) == pytest.approx(250.0)
    assert ms((0.1, 0.2), 90) == pytest.approx(190.0)
    assert math.isnan(ms((), 50))
    # (0.612 - 0.012) s over 200 more tests in the jail, 0.400 s over 200 tests bare.
    assert overhead_ms(PER_TEST) == pytest.approx(3.0 - 2.0)


def test_passes_are_named_and_faults_found() -> None:
    clean = Throughput(_result("a", 1.0, 2.0), _result("a", 0.5, 0.4))
    split = Throughput(_result("b", 1.0, 1.0), _result("b", 1.0, 1.0, disagree=("b/x.c",)))
    results = _results(clean, split)
    assert [(name, r.name, held) for name, r, held in passes(results)] == [
        ("cold", "a", True),
        ("warm", "a", True),
        ("cold", "b", True),
        ("warm", "b", True),
    ]
    assert faulty(results) == ["b (warm)"]
    errors = replace(clean.cold, ours=replace(clean.cold.ours, errors=1))
    assert faulty(_results(Throughput(errors, clean.warm))) == ["a (cold)"]


def test_section_reports_the_numbers_and_the_targets() -> None:
    text = render_section(
        _results(
            Throughput(_result("kattis", 1.0, 2.0), _result("kattis", 2.0, 1.0)),
            Throughput(_result("java", 1.0, 2.0), _result("java", 2.0, 1.0), held=False),
        )
    )
    assert text.startswith(f"{LANGUAGES_SECTION}\n")
    assert "- Machine: 2 cores, Test CPU, Linux 6.1.0" in text
    assert "- Toolchain: g++ 12.2.0 -O2 -std=c++17" in text
    assert "| C++ | trivial | 4 | 250 / 370 | 100 / 140 | +150 | 0.20 |" in text
    assert "| ours: marginal cost of one more test in the jail | 3.00 ms |" in text
    assert "| bare: one process per test (200 tests, median of 3) | 2.00 ms |" in text
    assert "| overhead per test, ours less bare | +1.00 ms |" in text
    assert "| kattis | cold | 8 | 120 | 6 / 6 | 1.00 / 2.00 | 120 / 60 | **2.00x** |" in text
    assert "| kattis | warm | 8 | 120 | 6 / 6 | 2.00 / 1.00 | 60 / 120 | **0.50x** |" in text
    assert "trivial C++ program: +1.00 ms (3.00 ms a test in the jail, 2.00 ms bare), met." in text
    assert "Throughput >= 1.0x bare on kattis, cold: 2.00x, met." in text
    assert "Throughput >= 1.0x bare on kattis, warm: 0.50x, **not met**." in text
    assert "Throughput >= 1.0x bare on java, warm: 0.50x, reported, no target." in text
    # Every language's row; (1.212 - 0.012) s over 20 more tests, 1.0 s over 20 bare.
    assert "| Java | 21 | 60.00 | 50.00 | +10.00 | 1.20 | -48.0 |" in text
    assert "| C++ | 201 | 3.00 | 2.00 | +1.00 | 1.20 | 9.0 |" in text
    assert "Compile time p50, C++ trivial: 250 ms in the jail (100 ms bare)." in text
    assert "(byte for byte the program the compile jail built)" in text
    assert "disagree" not in text


def test_section_names_disagreements_and_a_missed_overhead() -> None:
    slow = replace(PER_TEST, many_test_walls_s=(1.012,))  # 5 ms a test in the jail
    split = Throughput(_result("b", 1.0, 1.0, disagree=("b/x.c",)), _result("b", 1.0, 1.0))
    text = render_section(_results(split, per_test=slow, same=False))
    assert "**b (cold): ours and bare disagree** on 1 programs (b/x.c)" in text
    assert "(**not** byte for byte the program the compile jail built)" in text
    assert "+3.00 ms (5.00 ms a test in the jail, 2.00 ms bare), **not met**." in text


def test_report_is_spliced_and_kept_by_the_judge_report(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text(
        f"# Benchmarks\n\n## Results per dataset\n\nx\n\n{CLIENT_SECTION}\n\nc\n\n"
        "## How to rerun\n\nmake bench\n"
    )
    (tmp_path / "bench-results.json").write_text(json.dumps({"parity": {"count": 3}}))
    results = _results(Throughput(_result("a", 1.0, 2.0), _result("a", 1.0, 2.0)))
    write_languages_report(results, tmp_path)
    write_languages_report(results, tmp_path)  # replaced in place, not added twice
    text = report.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Results per dataset",
        CLIENT_SECTION,
        LANGUAGES_SECTION,
        "## How to rerun",
    ]
    raw = json.loads((tmp_path / "bench-results.json").read_text())
    assert raw["parity"] == {"count": 3}
    assert raw["languages"]["per_test"][1]["overhead"]["bare_tests"] == 200
    assert raw["languages"]["per_test"][0]["language"] == "Java"
    assert raw["languages"]["throughput"][0]["warm"]["ours"]["wall_s"] == 1.0
    # The judge benchmark rewrites the document and keeps this section.
    kept = carry_sections(
        text, "# Benchmarks\n\n## Results per dataset\n\nnew\n\n## How to rerun\n"
    )
    assert render_section(results).strip() in kept


def test_stdio15_native_sources_are_tagged_and_a_quarter_wrong() -> None:
    workload = stdio15_native(Language.c, 8, tag="run-1")
    codes = [item.submission.code or "" for item in workload.items]
    assert len(set(codes)) == 8
    assert all(code.startswith("// run-1 sample ") for code in codes)
    assert all(item.submission.language == Language.c for item in workload.items)
    wrong = [i for i, code in enumerate(codes) if code.endswith(NATIVE_WRONG_SUMS[Language.c])]
    assert wrong == [3, 7]
    again = stdio15_native(Language.c, 8, tag="run-2")
    assert again.items[0].submission.tests == workload.items[0].submission.tests
    assert again.items[0].submission.code != codes[0]


def test_kattis_native_takes_the_accepted_c_and_cpp_programs() -> None:
    workload = kattis_native(DEFAULT_DATASETS, tag="t")
    found = {item.name: item.submission for item in workload.items}
    assert set(found) == {
        "different/different.c",
        "different/different.cc",
        "different/different_stdio.cc",
        "hello/hello.cc",
        "hello/hello_alarm.c",
        "oddecho/echo.cpp",
    }
    assert found["different/different.c"].language == Language.c
    assert found["oddecho/echo.cpp"].language == Language.cpp
    assert found["hello/hello.cc"].limits.memory_mb == 512  # hello's problem.yaml
    assert found["different/different.cc"].comparator.name == "tokens"
    assert all((s.code or "").startswith("// t\n") for s in found.values())


@pytest.fixture
def builds() -> Iterator[BareBuilds]:
    kept = BareBuilds(timeout_s=60)
    yield kept
    kept.close()


def test_bare_build_uses_the_judges_flags(tmp_path: Path) -> None:
    program = compile_bare(Language.c, None, ADD[Language.c], folder=tmp_path / "ok", timeout_s=60)
    assert program == tmp_path / "ok" / "main" and program.is_file()
    assert (tmp_path / "ok" / "main.c").read_text() == ADD[Language.c]
    broken = compile_bare(Language.c, None, "int main(", folder=tmp_path / "bad", timeout_s=60)
    assert broken is None


def test_bare_runner_builds_once_and_runs_each_test(builds: BareBuilds) -> None:
    right = Item("add", adder_submission(Language.c, 3, tag="unit"))
    outcome = run_bare_native(right, builds)
    assert (outcome.passed, outcome.tests_run) == (True, 3)
    program = builds.build(right.submission)
    assert program is not None and program.is_file()
    assert builds.build(adder_submission(Language.c, 5, tag="unit")) == program  # same source


def test_bare_runner_stops_at_the_first_failure(builds: BareBuilds) -> None:
    cases = [("1 2\n", "3\n"), ("2 2\n", "5\n"), ("0 0\n", "0\n")]
    tests = StdioTestSet(cases=[StdioCase(input=i, output=o) for i, o in cases])
    wrong = Item("wrong", Submission(language=Language.c, code=ADD[Language.c], tests=tests))
    assert (run_bare_native(wrong, builds).passed, run_bare_native(wrong, builds).tests_run) == (
        False,
        2,
    )
    exits = Submission(language=Language.c, code="int main(void) { return 1; }\n", tests=tests)
    assert run_bare_native(Item("exits", exits), builds).tests_run == 1
    broken = Submission(language=Language.c, code="int main(", tests=tests)
    assert run_bare_native(Item("broken", broken), builds).tests_run == 0


def test_sources_are_tagged_in_their_languages_comment_syntax() -> None:
    pypy = stdio15_native(Language.pypy, 4, tag="run-3")
    assert all((i.submission.code or "").startswith("# run-3 sample ") for i in pypy.items)
    rust = adder_submission(Language.rust, 1, tag="run-3")
    assert (rust.code or "").startswith("// run-3\nuse std::io::Read;")
    assert adder_submission(Language.java, 1).code == ADD[Language.java]  # no tag, no comment


def test_bare_runner_runs_the_judges_command_line(builds: BareBuilds) -> None:
    # JavaScript's artifact is its source, which the bare run hands to node as the jail does.
    right = Item("add", adder_submission(Language.javascript, 3, tag="unit"))
    assert run_bare_native(right, builds).passed
    wrong = stdio15_native(Language.javascript, 4, tag="unit").items[3]
    assert not run_bare_native(wrong, builds).passed


def test_bare_build_maps_the_compile_jails_folders_to_the_hosts(tmp_path: Path) -> None:
    # Rust builds in the compile jail's scratch space and copies the executable to /build.
    source = ADD[Language.rust]
    program = compile_bare(Language.rust, None, source, folder=tmp_path / "rs", timeout_s=120)
    assert program == tmp_path / "rs" / "main" and program.is_file()
    assert not Path("/build/main").exists()


def test_checker_costs_are_reported_against_the_comparator() -> None:
    comparator = CheckerCost("comparator (lines)", 101, (0.010,), (0.210,))  # 2 ms a test
    testlib = CheckerCost("testlib checker", 101, (0.020,), (0.370,))  # 3.5 ms a test
    results = replace(_results(), checkers=(comparator, testlib))
    text = render_section(results)
    assert "| comparator (lines) | 101 | 2.00 |  |" in text
    assert "| testlib checker | 101 | 3.50 | +1.50 ms |" in text
    assert "Not measured in this run." in render_section(_results())


def test_a_checker_of_each_protocol_decides_the_adder() -> None:
    for protocol in CheckerProtocol:
        tests = adder_submission(Language.cpp, 2, checker=protocol).tests
        assert isinstance(tests, StdioTestSet) and tests.checker is not None
        assert tests.checker.protocol == protocol
    assert adder_submission(Language.cpp, 2).tests.checker is None  # type: ignore[union-attr]


def test_the_interactive_problem_carries_its_interactor() -> None:
    tests = guess_submission(3, tag="unit").tests
    assert isinstance(tests, StdioTestSet) and tests.checker is not None
    assert tests.checker.interactive and tests.checker.protocol == CheckerProtocol.kattis
    hidden = [case.input.split()[1] for case in tests.cases]
    assert len(set(hidden)) == 3 and all(1 <= int(h) <= 1000 for h in hidden)


def test_warm_passes_add_up_into_one() -> None:
    """`measure_throughput` repeats short warm passes: their walls, programs and tests add,
    so the ratio is the total tests over the total wall; a disagreement in either counts."""
    first = DatasetResult("w", "d", _run("ours", 0.5), _run("bare", 0.4), ("p1",))
    again = DatasetResult("w", "d", _run("ours", 0.7), _run("bare", 0.8), ("p1", "p2"))
    both = add_passes(first, again)
    assert both.ours.wall_s == pytest.approx(1.2) and both.bare.wall_s == pytest.approx(1.2)
    assert both.ours.programs == 16 and both.ours.tests_run == 240
    assert len(both.ours.latencies_s) == 16
    assert both.disagreements == ("p1", "p2")
    assert ratio(both) == pytest.approx(1.0)


def test_cold_passes_repeat_with_sources_new_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cold passes repeat like warm ones, each on a workload made with a tag of its own (so
    every program is built again in both modes); the warm passes rerun the first cold one's
    programs, which are built by then."""
    from bench import languages

    monkeypatch.setattr(languages, "MIN_PASSES_S", 0.05)
    tags: list[str] = []
    graded: dict[str, list[str]] = {"ours": [], "bare": []}

    def workload(tag: str) -> Workload:
        tags.append(tag)
        item = Item(f"p {tag}", adder_submission(Language.c, 1, tag=tag))
        return Workload("stdio15 C", "d", [item, replace(item, name=f"q {tag}")])

    def grading(mode: str) -> Callable[[Item], Outcome]:
        def run(item: Item) -> Outcome:
            graded[mode].append(item.submission.code)
            time.sleep(0.01)
            return Outcome(item.name, True, 1, 0.01)

        return run

    class Processes:
        grade = staticmethod(grading("ours"))

    monkeypatch.setattr(languages, "run_bare_native", lambda item, builds: grading("bare")(item))
    result = languages.measure_throughput(
        Processes(),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        workload,
        workers=1,
        tag="t",
    )
    cold_rounds = len(tags)
    assert cold_rounds >= 3 and len(set(tags)) == cold_rounds  # each cold pass new sources
    assert result.cold.ours.programs == 2 * cold_rounds == result.cold.bare.programs
    assert result.cold.ours.wall_s >= 0.05 and result.warm.ours.wall_s >= 0.05
    warm = graded["ours"][2 * cold_rounds :]
    assert warm and set(warm) == set(graded["ours"][:2])  # the first cold pass's programs
    assert result.held
