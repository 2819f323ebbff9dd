"""The two benchmark plots: throughput against workers, and per-submission latency.

matplotlib is a dev extra, so only `crucible bench` imports this module, and only to draw.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402

from workers.bench_report import DatasetResult, ratio, tests_per_s  # noqa: E402

OURS_COLOR = "tab:blue"
BARE_COLOR = "tab:orange"


def plot_throughput(sweep: tuple[DatasetResult, ...], path: Path) -> Path:
    """tests/s against parallel workers, sandboxed and bare, each point labelled with the ratio."""
    workers = [r.ours.workers for r in sweep]
    ours = [tests_per_s(r.ours) for r in sweep]
    bare = [tests_per_s(r.bare) for r in sweep]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    axes.plot(workers, ours, "o-", color=OURS_COLOR, label="Crucible (one jail per submission)")
    axes.plot(workers, bare, "s--", color=BARE_COLOR, label="bare (one interpreter per test)")
    for result, x, y in zip(sweep, workers, ours, strict=True):
        axes.annotate(f"{ratio(result):.1f}x", (x, y), textcoords="offset points", xytext=(0, 8),
                      ha="center", fontsize=9, color=OURS_COLOR)  # fmt: skip
    name = sweep[0].name if sweep else ""
    axes.set(xlabel="parallel workers", ylabel="tests per second", xticks=workers, ylim=(0, None),
             title=f"Throughput on {name}: tests/s against workers (label: ratio to bare)")  # fmt: skip
    axes.grid(alpha=0.3)
    axes.legend(loc="center right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_latency(result: DatasetResult, path: Path) -> Path:
    """Cumulative distribution of per-submission latency, sandboxed and bare."""
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for run, color, style in ((result.ours, OURS_COLOR, "-"), (result.bare, BARE_COLOR, "--")):
        ms = sorted(1000 * v for v in run.latencies_s)
        share = [(i + 1) / len(ms) for i in range(len(ms))]
        label = "Crucible" if run.mode == "ours" else "bare"
        axes.step(ms, share, style, where="post", color=color, label=f"{label} ({len(ms)} submissions)")
    axes.set(xlabel="latency per submission (ms)", ylabel="share of submissions", ylim=(0, 1.02),
             xlim=(0, None),
             title=f"Latency on {result.name} at {result.ours.workers} workers (CDF)")  # fmt: skip
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
