"""The soak's plot: each process kind's resident memory over the run.

matplotlib is a dev extra, so only the soak benchmark imports this module, and only to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt

from bench.procs import KINDS

if TYPE_CHECKING:
    from bench.soak import Sample


def plot_memory(samples: Sequence[Sample], path: Path) -> Path:
    """RSS in MB against minutes, one line per process kind (workers summed)."""
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    minutes = [s.t_s / 60 for s in samples]
    for kind in KINDS:
        mb = [s.kinds[kind].rss_mb if kind in s.kinds else 0.0 for s in samples]
        axes.plot(minutes, mb, marker=".", markersize=3, linewidth=1.2, label=kind)
    axes.set_xlabel("minutes into the soak")
    axes.set_ylabel("resident memory (MB)")
    axes.set_ylim(bottom=0)
    axes.set_title("Memory under steady load")
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path
