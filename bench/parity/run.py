"""`crucible bench parity` (and part of `all`): the bare-against-jail check
(`bench/parity/`) on the bench's larger sample, written into the report.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.parity.check import run_parity
from bench.parity.programs import BENCH_SAMPLE
from bench.parity.report import write_parity_report
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge

EXIT_OK, EXIT_DISAGREE, EXIT_BAD_INPUT, EXIT_SANDBOX = 0, 1, 2, 3


def run_parity_report(*, workers: int, limit: int | None, datasets: Path, out: Path) -> int:
    """Run every probe and the bench sample (each set capped at `limit`), write the report;
    exit 1 when anything differs from bare beyond the expected differences."""
    if not datasets.is_dir():
        return _fail(f"datasets folder {datasets} not found; pass --datasets PATH", EXIT_BAD_INPUT)
    judge = Judge()
    try:
        results = run_parity(
            judge, datasets=datasets, sample=BENCH_SAMPLE.capped(limit), workers=workers
        )
    except JudgeError as exc:
        return _fail(f"the sandbox does not work: {exc.message}", EXIT_SANDBOX)
    finally:
        judge.close()
    for path in write_parity_report(results, out):
        _say(f"wrote {path}")
    differing = sorted({d.probe for d in results.differences})
    _say(
        f"parity: {len(results.probes)} probes, {len(differing)} differ from bare"
        f" ({', '.join(differing) or 'none'}); {len(results.programs)} programs,"
        f" {len(results.disagreeing)} scored otherwise than bare, in {results.wall_s:.0f} s"
    )
    return EXIT_OK if results.agrees else EXIT_DISAGREE


def _say(line: str) -> None:
    print(f"crucible bench: {line}", file=sys.stderr, flush=True)


def _fail(message: str, code: int) -> int:
    _say(message)
    return code
