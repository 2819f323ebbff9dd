"""`crucible curate` on the hand-made data set with real grading: through the judge on this
machine (nsjail) and through the service (gateway, workers, the client), each rule rejecting
its rows; and the command itself, killed mid-run, resuming from its state file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from curate.graders import LocalGrader, ServiceGrader
from curate.pipeline import Options, curate
from curate.rules import Rules
from tests.integration.conftest import Stack
from tests.unit.curate_rows import EXPECTED, TIME_LIMIT_S, write_rows
from workers.judge.grade import Judge

REPO = Path(__file__).resolve().parents[2]


def _reasons(out: Path) -> dict[int, str]:
    lines = (out / "rejected.jsonl").read_text().splitlines()
    return {row["index"]: row["reason"] for row in map(json.loads, lines)}


def _options(tmp_path: Path) -> Options:
    rules = Rules(time_limit=TIME_LIMIT_S)
    return Options(input=write_rows(tmp_path), out=tmp_path / "out", rules=rules, progress=False)


def test_the_local_judge_rejects_each_rows_breaker(tmp_path: Path, judge: Judge) -> None:
    options = _options(tmp_path)
    outcome = curate(options, LocalGrader(judge=judge))
    assert _reasons(options.out) == EXPECTED
    assert outcome.kept == 1


def test_the_service_rejects_each_rows_breaker(tmp_path: Path, service: Stack) -> None:
    options = _options(tmp_path)
    grader = ServiceGrader(service.gateway.url)
    try:
        curate(options, grader)
    finally:
        grader.close()
    assert _reasons(options.out) == EXPECTED


def test_the_command_killed_mid_run_resumes(tmp_path: Path) -> None:
    source = write_rows(tmp_path)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "server.cli",
        "curate",
        str(source),
        "--out",
        str(out),
        "--local",
        "--batch",
        "1",
        "--no-progress",
        "--time-limit",
        str(TIME_LIMIT_S),
    ]
    first = subprocess.Popen(command, cwd=REPO, start_new_session=True)
    state = out / "state.jsonl"
    deadline = time.monotonic() + 60
    while not (state.exists() and state.read_text().count('"batch"') >= 2):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    done_before = state.read_text().count('"batch"')
    assert done_before < 6  # it was stopped before grading all six
    finished = subprocess.run(
        command, check=False, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode == 0, finished.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["throughput"]["graded_problems"] == 6  # every graded row once, in all
    assert _reasons(out) == EXPECTED
