"""The whole differential check: every probe, then a sample of dataset programs, each in
parallel threads (each grade has a jail of its own); what the test suite and the bench run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.parity.probe import (
    EXPECTED_DIFFERENCES,
    Difference,
    ExpectedDifference,
    ProbeOutcome,
    check_probe,
    load_probes,
)
from bench.parity.programs import ProgramOutcome, Sample, check_program, sample_programs
from workers.judge.grade import Judge


@dataclass(frozen=True, slots=True)
class ParityResults:
    probes: tuple[ProbeOutcome, ...]
    programs: tuple[ProgramOutcome, ...]
    sample: Sample
    wall_s: float
    expected: tuple[ExpectedDifference, ...] = EXPECTED_DIFFERENCES

    @property
    def differences(self) -> list[Difference]:
        """The probes' differences that are not deliberate."""
        return [d for p in self.probes for d in p.unexpected]

    @property
    def disagreeing(self) -> list[ProgramOutcome]:
        """Programs scored otherwise than bare: passed bare and 0 in the jail, or the other
        way round, or a judge fault."""
        return [p for p in self.programs if not p.agrees]

    @property
    def agrees(self) -> bool:
        return all(p.agrees for p in self.probes) and not self.disagreeing


def run_parity(
    judge: Judge,
    *,
    datasets: Path,
    sample: Sample,
    workers: int,
    probes: bool = True,
) -> ParityResults:
    """Run every probe and `sample` of the datasets' programs, `workers` at a time."""
    started = time.monotonic()
    assert judge.cgroups is not None  # prepared once here, not raced for by the threads
    probe_outcomes = (
        parallel(lambda p: check_probe(judge, p), load_probes(), workers) if probes else []
    )
    cases = sample_programs(datasets, sample)
    program_outcomes = parallel(lambda c: check_program(judge, c), cases, workers)
    return ParityResults(
        tuple(probe_outcomes), tuple(program_outcomes), sample, time.monotonic() - started
    )


def parallel[In, Out](run: Callable[[In], Out], items: Sequence[In], workers: int) -> list[Out]:
    """`run` over `items`, `workers` at a time, results in the items' order."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(run, items))
