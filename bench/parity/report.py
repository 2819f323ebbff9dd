"""The parity check's part of the bench report: its `## ` section of docs/benchmarks.md and
the `parity` key of docs/bench-results.json, each replaced in place (other runs keep them).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.doc import PARITY_SECTION, splice_section
from bench.parity.check import ParityResults
from bench.parity.probe import Difference, shorten
from bench.parity.programs import EXPECTED_VERDICTS, SEED, ProgramOutcome

RESULTS_KEY = "parity"
LISTED = 40  # programs listed by name in the markdown (the JSON has them all)


def write_parity_report(results: ParityResults, out: Path) -> list[Path]:
    """Splice the section into out/benchmarks.md and the numbers into out/bench-results.json."""
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "bench-results.json"
    numbers = json.loads(raw.read_text()) if raw.is_file() else {}
    numbers[RESULTS_KEY] = summary(results)
    raw.write_text(json.dumps(numbers, indent=1) + "\n")
    report = splice_section(out / "benchmarks.md", PARITY_SECTION, render_section(results))
    return [raw, report]


def summary(results: ParityResults) -> dict[str, Any]:
    """What the JSON keeps: counts, every difference and disagreement, the expected list."""
    probes = results.probes
    return {
        "date": _now(),
        "wall_s": round(results.wall_s, 1),
        "seed": SEED,
        "sample": asdict(results.sample),
        "probes": {
            "count": len(probes),
            "observables": sum(p.compared for p in probes),
            "agreeing": sum(p.agrees for p in probes),
            "differences": [_difference(d) for d in results.differences],
            "expected_differences_seen": [
                {**_difference(d), "reason": d.expected}
                for p in probes
                for d in p.differences
                if d.expected
            ],
            "stale_expected": [f"{p.probe}: {name}" for p in probes for name in p.stale],
            "errors": {p.probe: p.error for p in probes if p.error},
        },
        "programs": {
            "count": len(results.programs),
            "by_dataset": program_counts(results.programs),
            "disagreements": [_program(p) for p in results.disagreeing],
            "expected_disagreements": [
                {**_program(p), "reason": p.expected} for p in results.programs if p.expected
            ],
            "flaky_bare": [_program(p) for p in results.programs if p.bare_flaky],
            "not_graded": [_program(p) for p in results.programs if not p.graded],
        },
        "expected_differences": [
            {"probe": e.probe, "observable": e.observable, "reason": e.reason}
            for e in results.expected
        ],
        "expected_verdicts": [
            {"dataset": e.dataset, "message": e.message, "reason": e.reason}
            for e in EXPECTED_VERDICTS
        ],
    }


def program_counts(programs: tuple[ProgramOutcome, ...]) -> dict[str, dict[str, int]]:
    """Per dataset: how many, and how bare's verdict and the jail's reward paired up."""
    counts: dict[str, Counter[str]] = {}
    for p in programs:
        tally = counts.setdefault(p.dataset, Counter())
        tally["programs"] += 1
        tally[_pairing(p)] += 1
    return {name: dict(tally) for name, tally in counts.items()}


def _pairing(p: ProgramOutcome) -> str:
    if p.bare_flaky:
        return "flaky bare"
    if p.expected:
        return "expected difference"
    if not p.graded:
        return "not graded"
    if p.jail_reward is None:
        return "judge fault"
    bare = "passed bare" if p.bare_passed else "failed bare"
    return f"{bare}, {p.jail_reward} in jail"


def render_section(results: ParityResults) -> str:
    probes = results.probes
    differing = [p for p in probes if p.unexpected or p.error or p.stale]
    lines = [
        PARITY_SECTION,
        "",
        "Invariant 6, *a correct program runs as it runs bare*, checked by `crucible bench"
        " parity` (`bench/parity/`): probe programs of our own print what a"
        " program can observe of its runtime, run bare (`python3 <dir>/main.py`, a scratch"
        " working folder, the jail's environment, stdin byte for byte) and in the jail (graded"
        " as a stdio test expecting the bare stdout under `exact`, and run raw), every"
        " observable compared; then real programs from the shared datasets run bare under"
        " each dataset's own harness and graded in the jail. The same check, on a smaller"
        " sample, is `tests/integration/test_bare_parity.py`.",
        "",
        f"- Run: {_now()}, {results.wall_s:.0f} s; samples chosen with seed {SEED}.",
        f"- Probes: {len(probes)}, {sum(p.compared for p in probes)} observables compared;"
        f" {len(probes) - len(differing)} agree, {len(differing)} differ"
        f" ({len(results.differences)} unexpected differences).",
        f"- Programs: {len(results.programs)}; {len(results.disagreeing)} scored otherwise"
        f" than bare; {sum(p.bare_flaky for p in results.programs)} flaky bare.",
        "",
        *_differences_table(results),
        *_programs_table(results),
        *_expected_list(results),
    ]
    return "\n".join(lines) + "\n"


def _differences_table(results: ParityResults) -> list[str]:
    rows = ["### Probe differences", ""]
    if not results.differences and not any(p.error or p.stale for p in results.probes):
        return [*rows, "None: every probe's observables are the same bare and in the jail.", ""]
    rows += ["| probe | observable | bare | jail |", "|---|---|---|---|"]
    rows += [
        f"| {d.probe} | {d.observable} | {_cell(d.bare)} | {_cell(d.jail)} |"
        for d in _shown(results.differences)
    ]
    rows += [
        f"| {p.probe} | (not compared) | {_cell(p.error)} | |" for p in results.probes if p.error
    ]
    rows += [
        f"| {p.probe} | {name} | expected to differ, but did not | |"
        for p in results.probes
        for name in p.stale
    ]
    return [*rows, ""]


def _shown(differences: list[Difference]) -> list[Difference]:
    """The differences a reader needs: a stdout digest only where no stdout line differs
    (a missing final newline, say); the JSON keeps them all."""
    lined = {
        d.probe
        for d in differences
        if d.observable.startswith("stdout ") and d.observable != "stdout digest"
    }
    return [d for d in differences if d.observable != "stdout digest" or d.probe not in lined]


def _programs_table(results: ParityResults) -> list[str]:
    counts = program_counts(results.programs)
    columns = [
        "passed bare, 1 in jail",
        "failed bare, 0 in jail",
        "passed bare, 0 in jail",
        "failed bare, 1 in jail",
        "judge fault",
        "expected difference",
        "flaky bare",
        "not graded",
    ]
    rows = [
        "### Dataset programs, bare against jail",
        "",
        "| set | programs | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * (len(columns) + 1),
    ]
    rows += [
        f"| {name} | {tally['programs']} | "
        + " | ".join(str(tally.get(c, 0)) for c in columns)
        + " |"
        for name, tally in counts.items()
    ]
    rows.append("")
    for p in results.disagreeing[:LISTED]:
        rows.append(f"- **{p.name}**: {_pairing(p)}; {_cell(p.detail)}")
    for p in [p for p in results.programs if p.expected][:LISTED]:
        rows.append(f"- expected difference: {p.name}: {_cell(p.detail)}")
    for p in [p for p in results.programs if p.bare_flaky][:LISTED]:
        rows.append(f"- flaky bare: {p.name}: {_cell(p.detail)}")
    return [*rows, ""]


def _expected_list(results: ParityResults) -> list[str]:
    rows = ["### Expected differences (deliberate)", ""]
    rows += [f"- `{e.probe}` / `{e.observable}`: {e.reason}." for e in results.expected]
    rows += [
        f'- programs of `{e.dataset}` failing with "{e.message}": {e.reason}.'
        for e in EXPECTED_VERDICTS
    ]
    return rows


def _difference(d: Difference) -> dict[str, str]:
    return {
        "probe": d.probe,
        "observable": d.observable,
        "bare": shorten(d.bare),
        "jail": shorten(d.jail),
    }


def _program(p: ProgramOutcome) -> dict[str, Any]:
    return {
        "name": p.name,
        "bare_passed": p.bare_passed,
        "jail_reward": p.jail_reward,
        "detail": p.detail[-600:],
    }


def _cell(value: str) -> str:
    return shorten(value, 160).replace("|", "\\|")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
