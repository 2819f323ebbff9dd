"""verl's own SandboxFusion client, unchanged, behind a queue deeper than its HTTP timeout.

verl 0.9.1's `call_sandbox_api` gives up after compile_timeout + run_timeout + 10 s and
retries only a 504.  Slow jobs queued ahead on the session's two workers make every request
wait longer than that; /run_code answers 504 first (`service.sandbox_fusion.wait_s`), verl
retries, the retry joins the same job, and every correct program scores 1.  verl runs in
.venv-verl (`make verl-venv`), in tests/verl/score_with_verl.py; a missing one fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import REPO, Stack
from tests.integration.test_service_api import ADD_TESTS, counter

pytestmark = pytest.mark.integration
VERL_PYTHON = Path(os.environ.get("CRUCIBLE_VERL_PYTHON", REPO / ".venv-verl" / "bin" / "python"))
SCRIPT = REPO / "tests" / "verl" / "score_with_verl.py"
PROGRAMS = 20
# verl's per-case timeout: its requests time out after 2 * 3 + 10 = 16 s; the gateway's
# 504 comes after 3 + 3 + 5 = 11 s.
VERL_TIMEOUT = 3
# Ahead of verl's programs: 8 sleepers on 2 workers keep the queue busy about 20 s, past
# verl's 16 s timeout, and well within its three tries (about 3 * 11 + 3 s).
SLOW = 8
SLOW_S = 5


def queue_slow_programs(api: httpx.Client, nonce: str) -> None:
    code = f"import time\ntime.sleep({SLOW_S})\nprint(sum(map(int, input().split())))\n"
    batch = {
        "submissions": [
            {
                "code": f"{code}# {nonce} {i}\n",
                "tests": ADD_TESTS,
                "limits": {"time_s": 2, "wall_time_s": 10},
            }
            for i in range(SLOW)
        ]
    }
    reply = api.post("/v1/batches", json=batch)
    assert reply.status_code == 202, reply.text


def test_verl_scores_every_correct_program_behind_a_busy_queue(
    service: Stack, api: httpx.Client
) -> None:
    if not VERL_PYTHON.is_file():
        pytest.fail(f"no verl environment at {VERL_PYTHON}: run `make verl-venv` (make test does)")
    nonce = uuid.uuid4().hex
    timeouts = ("crucible_http_errors_total", '{code="timeout"}')
    enqueued = ("crucible_submissions_total", '{outcome="enqueued",route="run_code"}')
    joined = ("crucible_submissions_total", '{outcome="joined",route="run_code"}')
    before = {name: counter(api, *name) for name in (timeouts, enqueued, joined)}
    queue_slow_programs(api, nonce)
    started = time.monotonic()
    run = subprocess.run(
        [
            str(VERL_PYTHON), str(SCRIPT), "--url", f"{service.gateway.url}/run_code",
            "--programs", str(PROGRAMS), "--timeout", str(VERL_TIMEOUT),
            "--max-concurrent", str(PROGRAMS), "--nonce", nonce,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-4000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    after = {name: counter(api, *name) for name in before}
    delta = {label[1]: after[label] - before[label] for label in before}
    print(f"verl: {report['scores'].count(1.0)}/{PROGRAMS} scored 1 in {report['elapsed_s']} s"
          f" (its timeout {report['client_timeout_s']} s); gateway: {delta}")  # fmt: skip
    assert report["scores"] == [1.0] * PROGRAMS, (report["statuses"], report["errors"])
    # The queue really was deeper than verl's own timeout: without a 504 before it, every
    # request would have ended on the client's side, and verl does not retry that.
    assert report["client_timeout_s"] == 2 * VERL_TIMEOUT + 10
    assert time.monotonic() - started > report["client_timeout_s"]
    assert report["elapsed_s"] > report["client_timeout_s"]
    # Each program was answered 504 at least once, and its retries joined its one job.
    assert after[timeouts] - before[timeouts] >= PROGRAMS
    assert after[enqueued] - before[enqueued] == PROGRAMS, "each program ran once"
    assert after[joined] - before[joined] >= PROGRAMS
