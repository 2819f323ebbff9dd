"""The report's two plots: tests per problem (kept against rejected), and how much of the
time limit the slowest reference test used.  matplotlib is a dev extra; the report skips
the plots where it is missing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from curate.report import Record


def draw(out: Path, records: Sequence[Record]) -> dict[str, Path]:
    return {
        "tests per problem": _tests(out / "tests_per_problem.png", records),
        "time used": _times(out / "time_ratio.png", records),
    }


def _tests(path: Path, records: Sequence[Record]) -> Path:
    kept = [r.decision.tests for r in records if r.decision.kept and r.decision.tests]
    rejected = [r.decision.tests for r in records if not r.decision.kept and r.decision.tests]
    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    top = max([*kept, *rejected, 1])
    bins = list(range(0, min(top, 60) + 2)) if top <= 60 else 40
    axes.hist(
        [kept, rejected],
        bins=bins,
        stacked=True,
        label=["kept", "rejected"],
        color=["tab:green", "tab:red"],
    )
    axes.set_xlabel("tests per problem")
    axes.set_ylabel("problems")
    axes.set_title("Tests per problem")
    return _save(figure, axes, path)


def _times(path: Path, records: Sequence[Record]) -> Path:
    ratios = [100 * r.decision.max_time_ratio for r in records if r.decision.references]
    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    axes.hist(ratios, bins=40, color="tab:blue", label="graded problems")
    axes.set_xlabel("slowest passing reference test, % of the time limit")
    axes.set_ylabel("problems")
    axes.set_yscale("symlog")
    axes.set_title("Reference time against the limit")
    return _save(figure, axes, path)


def _save(figure: Figure, axes: Axes, path: Path) -> Path:
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
