"""The curation report: `report.json` for machines, `report.md` with two plots for people.
Counts per source and per reason, the test-count and time distributions, the close calls
(kept problems near a rule's edge) and the throughput of the grading."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.rules import REASONS, Decision
from curate.state import Batch

CLOSE_CALLS = 20  # listed in the report, the closest first


@dataclass(frozen=True, slots=True)
class Record:
    index: int
    name: str
    source: str
    decision: Decision


def summarise(
    records: Sequence[Record], batches: Sequence[Batch], run: dict[str, Any]
) -> dict[str, Any]:
    """The report's content, as JSON."""
    per_source: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"rows": 0, "kept": 0, "rejected": 0, "reasons": Counter()}
    )
    for record in records:
        entry = per_source[record.source]
        entry["rows"] += 1
        entry["kept" if record.decision.kept else "rejected"] += 1
        if not record.decision.kept:
            entry["reasons"][record.decision.reason] += 1
    reasons = Counter(r.decision.reason for r in records if not r.decision.kept)
    graded = [r for r in records if r.decision.references]
    margin = float(run["rules"]["time_margin"])
    return {
        "run": run,
        "rows": len(records),
        "kept": sum(r.decision.kept for r in records),
        "rejected": sum(not r.decision.kept for r in records),
        "per_source": {
            k: {**v, "reasons": _ordered(v["reasons"])} for k, v in sorted(per_source.items())
        },
        "per_reason": _ordered(reasons),
        "tests_per_problem": _spread([r.decision.tests for r in records if r.decision.tests]),
        "tests_per_kept_problem": _spread([r.decision.tests for r in records if r.decision.kept]),
        "reference_time_s": _spread([r.decision.reference_time_s for r in graded]),
        "max_time_ratio": _spread([r.decision.max_time_ratio for r in graded]),
        "close_calls": _close_calls(records, margin),
        "throughput": _throughput(batches),
    }


def _ordered(counts: Counter[str]) -> dict[str, int]:
    return {reason: counts[reason] for reason in REASONS if counts[reason]}


def _spread(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 4)

    return {
        "count": len(ordered),
        "min": round(ordered[0], 4),
        "median": at(0.5),
        "p90": at(0.9),
        "max": round(ordered[-1], 4),
        "mean": round(statistics.fmean(ordered), 4),
    }


def _close_calls(records: Sequence[Record], margin: float) -> list[dict[str, Any]]:
    """Kept problems near an edge: a reference over half the time margin, or a trivial
    program passing at least half the tests; closest first."""
    found = []
    for record in records:
        d = record.decision
        if not d.kept:
            continue
        why = []
        if margin > 0 and d.max_time_ratio > margin / 2:
            why.append(f"reference at {d.max_time_ratio:.0%} of the time limit")
        if d.trivial_pass >= 0.5:
            why.append(f"a trivial program passes {d.trivial_pass:.0%} of the tests")
        if why:
            closeness = max(d.max_time_ratio / margin if margin else 0.0, d.trivial_pass)
            found.append((closeness, record, "; ".join(why)))
    found.sort(key=lambda item: -item[0])
    return [
        {"index": r.index, "name": r.name, "source": r.source, "why": why}
        for _, r, why in found[:CLOSE_CALLS]
    ]


def _throughput(batches: Sequence[Batch]) -> dict[str, float]:
    wall = sum(b.wall_s for b in batches)
    problems = sum(b.problems for b in batches)
    submissions = sum(b.submissions for b in batches)
    tests = sum(b.tests_run for b in batches)
    rate = (lambda n: round(n / wall, 2)) if wall > 0 else (lambda n: 0.0)
    return {
        "graded_problems": problems,
        "submissions": submissions,
        "tests_run": tests,
        "grading_wall_s": round(wall, 2),
        "problems_per_s": rate(problems),
        "submissions_per_s": rate(submissions),
        "tests_per_s": rate(tests),
    }


def write_report(
    out: Path, records: Sequence[Record], batches: Sequence[Batch], run: dict[str, Any]
) -> dict[str, Path]:
    summary = summarise(records, batches, run)
    (out / "report.json").write_text(json.dumps(summary, indent=2) + "\n")
    plots = _plots(out, records)
    (out / "report.md").write_text(markdown(summary, plots))
    return {"report_json": out / "report.json", "report_md": out / "report.md", **plots}


def _plots(out: Path, records: Sequence[Record]) -> dict[str, Path]:
    try:
        from curate import plots
    except ImportError:  # matplotlib is a dev extra: the report is written without plots
        return {}
    return plots.draw(out, records)


def markdown(summary: dict[str, Any], plots: dict[str, Path]) -> str:
    run = summary["run"]
    sample = (
        f"a deterministic sample of {run['sample']} of {run['rows_in_input']} rows"
        f" (seed {run['seed']})"
        if run["sample"]
        else f"all {run['rows_in_input']} rows"
    )
    lines = [
        f"# Curation of `{Path(run['input']).name}`",
        "",
        f"{summary['kept']} kept and {summary['rejected']} rejected of {summary['rows']}"
        f" rows ({sample}), graded by the {run['grader']}.",
        "",
        f"Command: `{run['command']}`" if run["command"] else "",
        "",
        "| source | rows | kept | rejected | reasons |",
        "|---|---:|---:|---:|---|",
    ]
    for source, entry in summary["per_source"].items():
        why = ", ".join(f"{k} {v}" for k, v in entry["reasons"].items()) or "-"
        lines.append(
            f"| {source} | {entry['rows']} | {entry['kept']} | {entry['rejected']} | {why} |"
        )
    lines += ["", "## Rejections by reason", "", "| reason | rows |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in summary["per_reason"].items()] or ["| - | 0 |"]
    lines += [
        "",
        "## Distributions",
        "",
        "| measure | count | min | median | p90 | max |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in (
        "tests_per_problem",
        "tests_per_kept_problem",
        "reference_time_s",
        "max_time_ratio",
    ):
        s = summary[key]
        if s["count"]:
            lines.append(
                f"| {key} | {s['count']} | {s['min']} | {s['median']} | {s['p90']} | {s['max']} |"
            )
    lines.append("")
    lines += [f"![{name}]({path.name})" for name, path in plots.items()]
    lines += _close_call_lines(summary["close_calls"])
    t = summary["throughput"]
    lines += [
        "",
        "## Throughput",
        "",
        f"{t['graded_problems']} problems graded ({t['submissions']} submissions,"
        f" {t['tests_run']} tests run) in {t['grading_wall_s']} s of grading:"
        f" {t['problems_per_s']} problems/s, {t['submissions_per_s']} submissions/s,"
        f" {t['tests_per_s']} tests/s.",
        "",
    ]
    rules = ", ".join(f"`{k}={v}`" for k, v in run["rules"].items())
    lines += ["## Rules", "", rules, ""]
    return "\n".join(lines)


def _close_call_lines(close: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## Close calls", ""]
    if not close:
        return [*lines, "None: no kept problem is near a rule's edge."]
    lines += ["| row | name | source | why |", "|---:|---|---|---|"]
    return lines + [f"| {c['index']} | {c['name']} | {c['source']} | {c['why']} |" for c in close]
