"""Invariant 6, *a correct program runs as it runs bare* (issue 13): the differential check of
`bench/parity/` on the test suite's sample, against the real jail.

- Every probe (`bench/parity/probes/<name>/`) is one test: each observable it prints, its
  exit and its stderr are the same bare and in the jail, graded and raw, bar the listed
  expected differences, each of which must still show (a stale entry goes).
- Dataset programs, one test per set (seeded samples, `TEST_SAMPLE`): every program that
  passes bare under its dataset's own harness scores 1 in the jail, every one that fails
  bare scores 0, bar the listed deliberate differences (`EXPECTED_VERDICTS`).  A program
  whose two bare runs disagree is printed, not judged.

`crucible bench parity` runs the same check on a larger sample into docs/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.parity.check import parallel
from bench.parity.probe import EXPECTED_DIFFERENCES, Probe, check_probe, load_probes, shorten
from bench.parity.programs import (
    TEST_SAMPLE,
    ProgramOutcome,
    check_program,
    sample_programs,
)
from workers.judge.grade import Judge

WORKERS = 2  # the machine has two cores, and each grade runs its own jail
PROBES = load_probes()
SETS = (
    "humaneval",
    "humaneval_broken",
    "mbpp",
    "mbpp_plus",
    "mbpp_plus_calls",
    "leetcode_test",
    "kattis",
    "deepcoder_echo",
)


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_probe_runs_as_bare(judge: Judge, probe: Probe) -> None:
    outcome = check_probe(judge, probe)
    assert not outcome.error, f"{probe.name} was not compared: {outcome.error}"
    for d in outcome.differences:
        print(f"{'expected ' if d.expected else ''}difference {d.observable}:")
        print(f"  bare: {shorten(d.bare, 2000)}\n  jail: {shorten(d.jail, 2000)}")
    unexpected = [
        f"{d.observable}: bare {shorten(d.bare)}, jail {shorten(d.jail)}"
        for d in outcome.unexpected
    ]
    assert not unexpected, f"{probe.name} ({probe.about}) differs from bare:\n" + "\n".join(
        unexpected
    )
    assert not outcome.stale, (
        f"{probe.name}: listed as expected differences but the same bare and in the jail:"
        f" {outcome.stale}; drop them from EXPECTED_DIFFERENCES"
    )


def test_expected_differences_name_probes_and_reasons() -> None:
    names = {p.name for p in PROBES}
    for expected in EXPECTED_DIFFERENCES:
        assert expected.probe in names, expected
        assert expected.observable and len(expected.reason) > 40, expected


def test_probes_cover_what_issue_13_asks() -> None:
    """The observables the differential check must cover each have a probe."""
    names = {p.name for p in PROBES}
    wanted = {
        "recursion_limits",
        "recursion_dfs_under_1001", "argv_and_path", "main_module", "stdin_crlf",
        "stdin_no_trailing_newline", "stdin_buffer_invalid_utf8", "stdin_text_invalid_utf8",
        "stdin_open0", "stdin_dev_stdin", "atexit_fast_output", "atexit_system_exit",
        "thread_main_returns", "pickle_own_objects", "multiprocessing_pool_fork",
        "multiprocessing_process_fork", "rlimit_stack_minus_one",
        "rlimit_stack_infinity_recursion", "big_ints", "scratch_file_cwd", "scratch_file_tmp",
        "traceback_uncaught", "exit_code_3", "exit_message", "exit_os_exit_unflushed",
        "stdout_flush_at_exit", "signals", "main_thread", "runtime_defaults",
    }  # fmt: skip
    assert wanted <= names, sorted(wanted - names)


@pytest.fixture(scope="module")
def program_outcomes(judge: Judge, datasets: Path) -> Iterator[dict[str, list[ProgramOutcome]]]:
    assert judge.cgroups is not None  # prepared once here, not raced for by the threads
    cases = sample_programs(datasets, TEST_SAMPLE)
    outcomes = parallel(lambda case: check_program(judge, case), cases, WORKERS)
    by_set: dict[str, list[ProgramOutcome]] = {name: [] for name in SETS}
    for outcome in outcomes:
        by_set.setdefault(outcome.dataset, []).append(outcome)
    yield by_set


@pytest.mark.parametrize("name", SETS)
def test_programs_score_as_bare(
    program_outcomes: dict[str, list[ProgramOutcome]], name: str
) -> None:
    outcomes = program_outcomes[name]
    assert outcomes, f"the sample holds no {name} programs"
    passed = [o for o in outcomes if o.bare_passed and not o.bare_flaky]
    failed = [o for o in outcomes if not o.bare_passed and not o.bare_flaky]
    print(f"{name}: {len(outcomes)} programs, {len(passed)} pass bare, {len(failed)} fail bare")
    for o in outcomes:
        if o.bare_flaky:
            print(f"  flaky bare (not judged): {o.name}: {o.detail}")
        if o.expected:
            print(f"  expected difference: {o.name}: {o.detail} ({o.expected})")
    lost = [f"{o.name}: jail reward {o.jail_reward}; {o.detail}" for o in passed if not o.agrees]
    won = [f"{o.name}: jail reward {o.jail_reward}; {o.detail}" for o in failed if not o.agrees]
    assert not lost and not won, (
        f"{len(lost)} {name} programs pass bare but not in the jail:\n"
        + "\n".join(lost)
        + f"\n{len(won)} fail bare but not in the jail:\n"
        + "\n".join(won)
    )


def test_the_sample_holds_both_directions(
    program_outcomes: dict[str, list[ProgramOutcome]],
) -> None:
    """The programs that fail bare are a real part of the sample, not an empty direction."""
    outcomes = [o for group in program_outcomes.values() for o in group]
    failing = [o for o in outcomes if not o.bare_passed and o.graded]
    assert len(outcomes) >= 250
    assert {o.dataset for o in failing} >= {"humaneval_broken", "mbpp_plus", "kattis"}
