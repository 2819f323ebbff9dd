"""Real TRL: a GRPOTrainer step on the CPU whose rewards come from the live local stack.

TRL and torch live in a Python 3.11 environment of their own (`make trl-venv`: the CPU
torch wheel, the pinned tests/trl/requirements.txt, this project); the step runs there, in
tests/trl/train_one_step.py, against this session's gateway.  A missing environment fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import REPO, Stack

pytestmark = pytest.mark.integration
TRL_PYTHON = Path(os.environ.get("CRUCIBLE_TRL_PYTHON", REPO / ".venv-trl" / "bin" / "python"))
SCRIPT = REPO / "tests" / "trl" / "train_one_step.py"
STEP_TIMEOUT_S = 240


def batch_submissions(gateway_url: str) -> float:
    text = httpx.get(f"{gateway_url}/metrics", timeout=10).text
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("crucible_submissions_total{") and 'route="batch"' in line
    )


def test_a_grpo_step_gets_its_rewards_from_the_live_stack(service: Stack) -> None:
    if not TRL_PYTHON.is_file():
        pytest.fail(f"no TRL environment at {TRL_PYTHON}: run `make trl-venv` (make test does)")
    url = service.gateway.url
    before = batch_submissions(url)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": "1",
    }
    run = subprocess.run(
        [str(TRL_PYTHON), str(SCRIPT), "--url", url],
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["direct"] == [1.0, 0.0], "a right and a wrong program, graded for real"
    assert report["steps"] == 1 and report["logs"], "one optimisation step ran and logged"
    for kind in ("sync", "async"):
        calls = report["calls"][kind]
        assert calls, f"the {kind} reward function was never called"
        for call in calls:
            assert len(call["rewards"]) == call["completions"] > 0
            assert all(r in (0.0, 1.0) for r in call["rewards"]), "no judge faults"
    log = report["logs"][0]
    assert "rewards/crucible/mean" in log and "rewards/crucible_async/mean" in log
    # Identical completions (all no-code, say) share one job, so count calls, not completions.
    calls = sum(len(report["calls"][k]) for k in ("sync", "async"))
    assert batch_submissions(url) - before >= calls, "every call went through the gateway"
