"""The two benchmark plots: throughput against workers, and per-submission latency.

matplotlib is a dev extra, so only `crucible bench` imports this module, and only to draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bench.report import DatasetResult, ratio, tests_per_s

OURS_COLOR = "tab:blue"
_LABEL: dict[str, Any] = {"textcoords": "offset points", "ha": "center", "fontsize": 9}
BARE_COLOR = "tab:orange"


def plot_throughput(sweep: tuple[DatasetResult, ...], path: Path, *, cores: int) -> Path:
    """tests/s against parallel workers, sandboxed and bare, each point labelled with the ratio."""
    workers = [r.ours.workers for r in sweep]
    ours = [tests_per_s(r.ours) for r in sweep]
    bare = [tests_per_s(r.bare) for r in sweep]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    axes.plot(
        workers, ours, "o-", color=OURS_COLOR, label="Crucible (warm jails, one fork per test)"
    )
    axes.plot(workers, bare, "s--", color=BARE_COLOR, label="bare (one interpreter per test)")
    for result, x, y in zip(sweep, workers, ours, strict=True):
        axes.annotate(f"{ratio(result):.1f}x", (x, y), xytext=(0, 8), **_LABEL, color=OURS_COLOR)
    axes.axvline(cores, color="grey", linestyle=":", linewidth=1)
    axes.annotate(f"{cores} cores", (cores, 0), xytext=(22, 4), **_LABEL, color="grey")
    axes.set_xticks(workers)
    axes.set_ylim(0, 1.25 * max([*ours, *bare], default=1.0))
    axes.set_xlabel("parallel workers")
    axes.set_ylabel("tests per second")
    name = sweep[0].name if sweep else ""
    axes.set_title(f"Throughput on {name} (labels: ratio to bare)")
    return _save(figure, axes, path, legend="upper left")


def plot_latency(result: DatasetResult, path: Path) -> Path:
    """Cumulative distribution of per-submission latency, sandboxed and bare."""
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for run, color, style in ((result.ours, OURS_COLOR, "-"), (result.bare, BARE_COLOR, "--")):
        ms = sorted(1000 * v for v in run.latencies_s)
        share = [(i + 1) / len(ms) for i in range(len(ms))]
        label = f"{'Crucible' if run.mode == 'ours' else 'bare'} ({len(ms)} submissions)"
        axes.step(ms, share, style, where="post", color=color, label=label)
    axes.set_xlim(left=0)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("latency per submission (ms)")
    axes.set_ylabel("share of submissions")
    axes.set_title(f"Latency on {result.name} at {result.ours.workers} workers (CDF)")
    return _save(figure, axes, path, legend="lower right")


def _save(
    figure: Figure, axes: Axes, path: Path, *, legend: Literal["upper left", "lower right"]
) -> Path:
    axes.grid(alpha=0.3)
    axes.legend(loc=legend)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
