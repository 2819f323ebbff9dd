"""The reliability benchmarks at toy sizes on a real stack: a burst that the gateway must
refuse in part, a short soak, and the leftover checks shown to catch what they look for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import run_load, write_load
from bench.procs import cgroup_parents
from bench.rig import Rig
from bench.soak import run_soak, write_soak

pytestmark = pytest.mark.integration


def test_a_burst_over_the_threshold_is_refused_in_part_and_every_reward_still_arrives(
    datasets: Path, tmp_path: Path
) -> None:
    # 25 groups of 8 through 2 x 4 connections against a queue of 8: the first wave may race
    # past the threshold together, and the groups behind it find the queue full.
    result = run_load(
        count=200, workers=2, max_queued=8, ranks=2, concurrency=4, group_size=8,
        retry_after_s=1, datasets=datasets,
    )  # fmt: skip
    assert result.tally.right == 200
    assert (result.tally.wrong, result.tally.errors, result.tally.lost) == (0, 0, 0)
    assert result.refusals > 0
    assert result.server["429_queue_full"] == result.refusals  # the gateway counted each one
    assert result.retries >= result.refusals
    assert result.refused_most >= 1
    assert result.server["enqueued"] == 200 and result.server["cached"] == 0
    assert result.server["graded"] == 200
    assert len(result.latencies_s) == 200
    assert result.ok and result.leaks.clean
    assert result.leaks.pids_watched >= 5  # gateway, supervisor, two workers, Redis
    report, raw = write_load(result, tmp_path)
    assert "Every submission got exactly its known reward (none wrong, lost or faulted): met" in (
        report.read_text()
    )
    assert raw.is_file()


def test_a_short_soak_samples_every_process_kind_and_leaves_nothing(
    datasets: Path, tmp_path: Path
) -> None:
    result = run_soak(minutes=20 / 60, rate=5, workers=2, sample_s=5, datasets=datasets)
    assert result.ok and result.submitted == 100
    assert len(result.samples) >= 4
    seen = {trend.kind: trend for trend in result.trends}
    for kind in ("gateway", "supervisor", "workers", "jails", "redis"):
        assert seen[kind].processes >= 1 and seen[kind].end_mb > 0, kind
    assert seen["workers"].processes == 2
    assert result.worker_restarts == 0
    assert result.leaks.clean, result.leaks
    assert result.leaks.pids_watched >= 7  # jails included
    written = write_soak(result, tmp_path)
    assert (tmp_path / "reliability.md").read_text().count("## Soak") == 1
    assert all(path.is_file() for path in written)


def test_the_leftover_checks_find_a_planted_process_cgroup_and_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the stack's own stop removes never reaches the checks, so the leftovers are
    planted after it: a process naming the run's folder, a jail cgroup and a file."""
    planted: list[subprocess.Popen[bytes]] = []
    rig = Rig(workers=1, stop_grace_s=1)
    cgroup = cgroup_parents(rig.cgroup_root, rig.cgroup_parent)[0] / "NSJAIL.planted"
    stack_stop = rig.stack.stop

    def stop_then_plant() -> None:
        stack_stop()
        rig.work_dir.mkdir()
        (rig.work_dir / "planted.txt").write_text("left behind")
        cgroup.parent.mkdir(exist_ok=True)
        cgroup.mkdir()
        planted.append(
            subprocess.Popen(
                [sys.executable, "-c", "import time; time.sleep(120)", str(rig.work_dir)]
            )
        )

    monkeypatch.setattr(rig.stack, "stop", stop_then_plant)
    try:
        with rig:
            pass
        assert rig.leaks is not None and not rig.leaks.clean
        assert any(str(planted[0].pid) in p.split()[0] for p in rig.leaks.processes)
        assert rig.leaks.cgroups == (str(cgroup),)
        assert rig.leaks.files == ("jails/planted.txt",)
    finally:
        for proc in planted:
            proc.kill()
            proc.wait(timeout=10)
        if cgroup.is_dir():
            cgroup.rmdir()
            cgroup.parent.rmdir()
