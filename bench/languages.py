"""`crucible bench languages`: every language but Python in the jails against the same sources
built by the same toolchain and run bare, on this machine, in the same run: compile times,
a trivial program's per-test overhead in each language (C++'s against its target), and
throughput on real and synthetic programs.

Every source carries this run's tag in a leading comment, so a fresh build is fresh in both
modes (the worker's artifact cache outlives a run); the warm passes then reuse the builds.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.data import (
    ADD,
    ADD_BITS,
    MANAGER_RUNS,
    NATIVE_NAMES,
    Item,
    Workload,
    adder_submission,
    guess_submission,
    kattis_native,
    stdio15_native,
    tagged,
)
from bench.judge import (
    EXIT_BAD_INPUT,
    EXIT_DISAGREE,
    EXIT_OK,
    EXIT_SANDBOX,
    Outcome,
    add_passes,
    compare_modes,
    cpu_model,
    grade_one,
)
from bench.languages_report import (
    CheckerCost,
    CompileTimes,
    Host,
    LanguageOverhead,
    LanguagesResults,
    Throughput,
    faulty,
    overhead_ms,
    write_languages_report,
)
from bench.native import BareBuilds, compile_bare, run_bare_native
from bench.processes import JudgeProcesses
from bench.report import DatasetResult, Overhead, marginal_ms_per_test, median, ratio
from crucible.schema import CheckerProtocol, Language, Submission
from workers.judge.cgroups import favor_dynamic_moves
from workers.judge.compiler import Compiler
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge
from workers.judge.languages import TOOLCHAINS

# Sized for a shared two-core machine: the whole run takes several minutes.
FRESH_BUILDS = 12  # per trivial program and mode
SLOW_BUILDS = 6  # bits/stdc++.h, javac and rustc take a second or more a build
CACHED_BUILDS = 20
PER_TEST_ROUNDS = 5  # each: ONE_TEST_RUNS one-test submissions, one many-test, one bare
ONE_TEST_RUNS = 3
# Tests in the many-test submission per language: fewer where each test starts a VM.
PER_TEST_TESTS = {
    Language.c: 200,
    Language.cpp: 200,
    Language.rust: 200,
    Language.go: 200,
    Language.javascript: 40,
    Language.pypy: 40,
    Language.java: 20,
}
SYNTHETIC_PROGRAMS = {
    Language.cpp: 32,
    Language.c: 16,
    Language.rust: 16,
    Language.go: 16,
    Language.javascript: 12,
    Language.pypy: 12,
    Language.java: 6,
}
PROGRAMS = (
    (Language.c, "trivial a+b (stdio.h)", ADD[Language.c], FRESH_BUILDS),
    (Language.cpp, "trivial a+b (iostream)", ADD[Language.cpp], FRESH_BUILDS),
    (Language.cpp, "a+b with `#include <bits/stdc++.h>`", ADD_BITS, SLOW_BUILDS),
    (Language.rust, "trivial a+b", ADD[Language.rust], SLOW_BUILDS),
    (Language.go, "trivial a+b", ADD[Language.go], FRESH_BUILDS),
    (Language.java, "trivial a+b (Scanner)", ADD[Language.java], SLOW_BUILDS),
    (Language.javascript, "trivial a+b (syntax check)", ADD[Language.javascript], FRESH_BUILDS),
    (Language.pypy, "trivial a+b (syntax check)", ADD[Language.pypy], FRESH_BUILDS),
)
# The checker cost: the trivial C++ program's tests compared by the default comparator, then
# by a checker of each protocol, in a jail of its own (docs/runtime.md#checkers).
CHECKER_TESTS = 100
CHECKER_ROUNDS = 3
INTERACTIVE = "interactive"
CHECKERS: tuple[CheckerProtocol | str | None, ...] = (
    None,
    CheckerProtocol.testlib,
    CheckerProtocol.kattis,
    CheckerProtocol.python,
    INTERACTIVE,
    CheckerProtocol.manager,
)
# Cold and warm passes each repeat until each mode has run this long in all (at most this
# many passes).
MIN_PASSES_S = 3.0
MOST_PASSES = 40
# Whose throughput is held to the target (at least bare's); the rest are reported.
HELD_TO_TARGET = (
    "kattis C/C++",
    *(
        f"stdio15 {NATIVE_NAMES[lang]}"
        for lang in (Language.c, Language.cpp, Language.rust, Language.go)
    ),
)


class BenchFailed(Exception):
    """A program the benchmark relies on did not build or pass: its numbers would mean
    nothing."""


def run_languages_report(*, workers: int, out: Path, datasets: Path) -> int:
    """`crucible bench languages`: measure, write the section into out/benchmarks.md and the
    numbers into out/bench-results.json; 1 when the modes disagreed or the judge faulted."""
    if not datasets.is_dir():
        return _fail(f"datasets folder {datasets} not found; pass --datasets PATH", EXIT_BAD_INPUT)
    judge = Judge()
    builds = BareBuilds(timeout_s=judge.settings.compile_time_s)
    try:
        results = _measure(judge, builds, workers=workers, datasets=datasets)
    except JudgeError as exc:
        return _fail(f"the sandbox does not work: {exc.message}", EXIT_SANDBOX)
    except BenchFailed as exc:
        return _fail(str(exc), EXIT_SANDBOX)
    finally:
        builds.close()
        judge.close()
    for path in write_languages_report(results, out):
        _say(f"wrote {path}")
    bad = faulty(results)
    if bad:
        message = f"judge faults or disagreement with bare runs in: {', '.join(bad)}"
        return _fail(message, EXIT_DISAGREE)
    return EXIT_OK


def _measure(judge: Judge, builds: BareBuilds, *, workers: int, datasets: Path) -> LanguagesResults:
    tag = f"crucible bench {uuid.uuid4().hex[:12]}"
    load_before, started = os.getloadavg(), time.monotonic()
    judge.grade(adder_submission(Language.cpp, 1, tag=f"{tag} warm-up"))  # cgroups, a jail
    compiles = tuple(
        measure_compiles(judge, language, program, source, count=count, tag=tag)
        for language, program, source, count in PROGRAMS
    )
    per_language = tuple(
        measure_per_test(judge, builds, language, tests=tests, tag=tag)
        for language, tests in PER_TEST_TESTS.items()
    )
    checkers = tuple(measure_checker(judge, protocol, tag=tag) for protocol in CHECKERS)
    same = same_build(judge, builds, adder_submission(Language.cpp, 1, tag=tag))
    workloads: list[Callable[[str], Workload]] = [
        partial(_kattis_tagged, datasets),
        *(partial(_stdio15_tagged, lang, n) for lang, n in SYNTHETIC_PROGRAMS.items()),
    ]
    processes = JudgeProcesses(workers, tuple(NATIVE_NAMES))
    try:
        throughput = tuple(
            measure_throughput(processes, builds, workload, workers=workers, tag=tag)
            for workload in workloads
        )
    finally:
        processes.close()
    host = Host(
        cores=os.cpu_count() or 1,
        cpu=cpu_model(),
        kernel=platform.release(),
        toolchains=tuple(chain.describe(None) for chain in TOOLCHAINS.values()),
        host_python=platform.python_version(),
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load_before=load_before,
        load_after=os.getloadavg(),
        dynmods=favor_dynamic_moves(),
    )
    total = time.monotonic() - started
    return LanguagesResults(
        host, workers, total, compiles, per_language, same, throughput, checkers
    )


def measure_compiles(
    judge: Judge, language: Language, program: str, source: str, *, count: int, tag: str
) -> CompileTimes:
    """`count` fresh builds each way, ours and bare in turn, then the cached path."""
    ours, bare = _fresh_builds(judge, language, program, source, count=count, tag=tag)
    kept = tagged(source, f"{tag} {language.value} cached", language)
    judge.compiler.build(language, None, kept)  # now in the worker's artifact cache
    cached = []
    for _ in range(CACHED_BUILDS):
        started = time.perf_counter()
        hit = judge.compiler.build(language, None, kept).output.cached
        cached.append(_took(started, hit, program))
    times = CompileTimes(NATIVE_NAMES[language], program, ours, bare, tuple(cached))
    _say(
        f"compile {times.language} {program}: ours p50 {1000 * median(ours):.0f} ms,"
        f" bare {1000 * median(bare):.0f} ms, cached {1000 * median(cached):.2f} ms"
    )
    return times


def _fresh_builds(
    judge: Judge, language: Language, program: str, source: str, *, count: int, tag: str
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Seconds per build, in the compile jail (keeping nothing) and bare, each source new."""
    fresh = Compiler(judge.settings.model_copy(update={"artifact_cache": 0}), lambda: judge.cgroups)
    timeout = judge.settings.compile_time_s
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory(prefix="crucible-bench-build-") as folder:
        for i in range(count):
            unique = tagged(source, f"{tag} {language.value} build {i}", language)
            started = time.perf_counter()
            ours.append(_took(started, fresh.build(language, None, unique).output.ok, program))
            started = time.perf_counter()
            place = Path(folder) / str(i)
            built = compile_bare(language, None, unique, folder=place, timeout_s=timeout)
            bare.append(_took(started, built is not None, program))
    return tuple(ours), tuple(bare)


def _took(started: float, ok: bool, program: str) -> float:
    """Seconds since `started`, for a build that did what was asked (`ok`)."""
    took = time.perf_counter() - started
    if not ok:
        raise BenchFailed(f"a build of {program} did not succeed (or was not cached)")
    return round(took, 6)


def measure_per_test(
    judge: Judge, builds: BareBuilds, language: Language, *, tests: int, tag: str
) -> LanguageOverhead:
    """The trivial a+b program in `language`, built once each way: one-test and many-test
    submissions in the jail, and the many tests bare, interleaved so that all see the same
    background load."""
    one = Item("a+b x1", adder_submission(language, 1, tag=tag))
    many = Item(f"a+b x{tests}", adder_submission(language, tests, tag=tag))
    grade_one(judge, one)  # the build, once, into the artifact cache
    builds.build(many.submission)
    one_walls: list[float] = []
    many_walls: list[float] = []
    bare_walls: list[float] = []
    cpu: tuple[float, ...] = ()
    for _ in range(PER_TEST_ROUNDS):
        for _ in range(ONE_TEST_RUNS):
            one_walls.append(_passing(grade_one(judge, one), language).latency_s)
        outcome = _passing(grade_one(judge, many), language)
        many_walls.append(outcome.latency_s)
        cpu = cpu or outcome.test_cpu_s
        bare_walls.append(_passing(run_bare_native(many, builds), language).latency_s)
    overhead = Overhead(tests, tuple(one_walls), tuple(many_walls), tuple(bare_walls), tests, cpu)
    _say(
        f"per test, trivial {NATIVE_NAMES[language]}: ours {marginal_ms_per_test(overhead):.2f}"
        f" ms, overhead over bare {overhead_ms(overhead):+.2f} ms"
    )
    return LanguageOverhead(NATIVE_NAMES[language], overhead)


def measure_checker(
    judge: Judge, protocol: CheckerProtocol | str | None, *, tag: str
) -> CheckerCost:
    """The trivial C++ program's one-test and many-test submissions, its output decided by
    the default comparator (`protocol` None) or a checker of `protocol`, built once; or
    (`INTERACTIVE`) the bench's interactive problem, a binary search against its
    interactor."""
    if protocol == INTERACTIVE:
        name = "kattis interactor (about 10 rounds a test)"
        one = Item(f"{name} x1", guess_submission(1, tag=tag))
        many = Item(f"{name} x{CHECKER_TESTS}", guess_submission(CHECKER_TESTS, tag=tag))
    else:
        checker = CheckerProtocol(protocol) if protocol is not None else None
        name = "comparator (lines)" if checker is None else f"{checker.value} checker"
        if checker == CheckerProtocol.manager:
            name = f"manager, {MANAGER_RUNS} runs at once"
        one = Item(f"{name} x1", adder_submission(Language.cpp, 1, tag=tag, checker=checker))
        many = Item(
            f"{name} x{CHECKER_TESTS}",
            adder_submission(Language.cpp, CHECKER_TESTS, tag=tag, checker=checker),
        )
    grade_one(judge, one)  # the program and the checker built, once
    one_walls: list[float] = []
    many_walls: list[float] = []
    for _ in range(CHECKER_ROUNDS):
        for _ in range(ONE_TEST_RUNS):
            one_walls.append(_passing(grade_one(judge, one), Language.cpp).latency_s)
        many_walls.append(_passing(grade_one(judge, many), Language.cpp).latency_s)
    cost = CheckerCost(name, CHECKER_TESTS, tuple(one_walls), tuple(many_walls))
    _say(f"per test, trivial C++ with {name}: {cost.ms_per_test():.2f} ms")
    return cost


def same_build(judge: Judge, builds: BareBuilds, submission: Submission) -> bool:
    """Whether the compile jail and the host built `submission` into the same bytes."""
    if submission.code is None:
        raise ValueError("a build needs the submission's `code`")
    ours = judge.compiler.build(submission.language, submission.standard, submission.code)
    bare = builds.build(submission)
    return bare is not None and ours.artifact == bare.read_bytes()


def _passing(outcome: Outcome, language: Language) -> Outcome:
    if not outcome.passed:
        raise BenchFailed(f"the trivial {NATIVE_NAMES[language]} program failed: {outcome}")
    return outcome


def measure_throughput(
    processes: JudgeProcesses,
    builds: BareBuilds,
    workload: Callable[[str], Workload],
    *,
    workers: int,
    tag: str,
) -> Throughput:
    """`workload` (made with a tag, which makes every source new) both ways with every
    program new (cold), then again (warm); ours in `workers` judge processes, as a worker
    with that many processes grades."""

    def both(items: Workload) -> DatasetResult:
        return compare_modes(
            items,
            items.items,
            workers=workers,
            ours=processes.grade,
            bare=lambda item: run_bare_native(item, builds),
        )

    # A pass of a few hundred tests lasts a fraction of a second, where one program's tail
    # on one worker moves the ratio by a tenth: passes repeat until each mode has run
    # MIN_PASSES_S in all, the cold ones each with sources made new again.
    fresh = workload(f"{tag} cold 0")
    cold, rounds = both(fresh), 1
    while _short(cold, rounds):
        cold, rounds = add_passes(cold, both(workload(f"{tag} cold {rounds}"))), rounds + 1
    warm, rounds = both(fresh), 1
    while _short(warm, rounds):
        warm, rounds = add_passes(warm, both(fresh)), rounds + 1
    passes = [cold, warm]
    for name, result in zip(("cold", "warm"), passes, strict=True):
        _say(
            f"{result.name} {name} @ {workers} workers: {result.ours.programs} programs,"
            f" ours {result.ours.wall_s:.2f} s ({result.ours.passed} passed),"
            f" bare {result.bare.wall_s:.2f} s ({result.bare.passed} passed),"
            f" ratio {ratio(result):.2f}x"
        )
    return Throughput(cold=passes[0], warm=passes[1], held=fresh.name in HELD_TO_TARGET)


def _kattis_tagged(datasets: Path, tag: str) -> Workload:
    return kattis_native(datasets, tag=tag)


def _stdio15_tagged(language: Language, programs: int, tag: str) -> Workload:
    return stdio15_native(language, programs, tag=tag)


def _short(result: DatasetResult, rounds: int) -> bool:
    """Whether another pass is due: a mode has run less than MIN_PASSES_S in all."""
    ran = min(result.ours.wall_s, result.bare.wall_s)
    return ran < MIN_PASSES_S and rounds < MOST_PASSES


def _say(line: str) -> None:
    print(f"crucible bench: {line}", file=sys.stderr, flush=True)


def _fail(message: str, code: int) -> int:
    _say(message)
    return code
