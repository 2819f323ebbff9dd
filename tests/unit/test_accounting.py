"""The harness's cgroup counters (`inside/accounting.py`) on files shaped like cgroup v1's and
v2's: a test starts from the counters the previous test of the same submission left, and
reads them afresh after `forget` (a new submission) or when there is nothing left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.judge.inside.accounting import Accounting


class Files:
    def __init__(self, root: Path, unit: str) -> None:
        self.unit = unit
        self.cpu, self.oom, self.peak = root / "cpu", root / "oom", root / "peak"
        self.set(cpu_ns=0, oom_kills=0)
        self.peak.write_text("4096\n")

    def set(self, *, cpu_ns: int, oom_kills: int) -> None:
        if self.unit == "stat":
            self.cpu.write_text(f"usage_usec {cpu_ns // 1000}\nuser_usec 0\nsystem_usec 0\n")
        else:
            self.cpu.write_text(f"{cpu_ns}\n")
        self.oom.write_text(f"oom_kill_disable 0\nunder_oom 0\noom_kill {oom_kills}\n")

    def accounting(self) -> Accounting:
        spec = {
            "procs": [],
            "cpu": os.open(self.cpu, os.O_RDONLY),
            "cpu_unit": self.unit,
            "peak": os.open(self.peak, os.O_RDWR),
            "oom": os.open(self.oom, os.O_RDONLY),
        }
        return Accounting(spec)


@pytest.fixture(params=["ns", "stat"])
def files(request: pytest.FixtureRequest, tmp_path: Path) -> Files:
    return Files(tmp_path, request.param)


def test_a_test_is_measured_from_its_start(files: Files) -> None:
    accounting = files.accounting()
    files.set(cpu_ns=5_000_000_000, oom_kills=2)
    start = accounting.begin()
    assert start == (5_000_000_000, 2)
    assert files.peak.read_text().startswith("0")  # the peak is reset for the test
    files.set(cpu_ns=5_250_000_000, oom_kills=3)
    totals = accounting.totals(start)
    assert totals["tree_cpu_s"] == pytest.approx(0.25)
    assert totals["oom_kills"] == 1


def test_the_next_test_starts_where_the_last_one_ended(files: Files) -> None:
    accounting = files.accounting()
    accounting.totals(accounting.begin())
    files.set(cpu_ns=7_000_000_000, oom_kills=4)
    left = accounting.totals(accounting.begin())
    assert left["tree_cpu_s"] == 7.0 and left["oom_kills"] == 4
    # Nothing ran in the cgroup since that test's totals were read: the files are not read.
    files.set(cpu_ns=9_000_000_000, oom_kills=9)
    assert accounting.begin() == (7_000_000_000, 4)
    # Used once: a test that never reached its totals leaves nothing for the next.
    assert accounting.begin() == (9_000_000_000, 9)


def test_a_new_submission_reads_the_counters_afresh(files: Files) -> None:
    """Another process (a Python submission forked from the harness) may have run tests in
    the cgroup since this one's last test: its CPU must not count against the next test."""
    accounting = files.accounting()
    accounting.totals(accounting.begin())
    files.set(cpu_ns=3_000_000_000, oom_kills=1)
    accounting.forget()
    start = accounting.begin()
    assert start == (3_000_000_000, 1)
    files.set(cpu_ns=3_100_000_000, oom_kills=1)
    assert accounting.totals(start)["tree_cpu_s"] == pytest.approx(0.1)
