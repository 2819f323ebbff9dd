"""`crucible judge`: one Submission JSON in, one Result JSON out; exit status by outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crucible.schema import RewardResult, StdioCase, StdioTestSet, Submission
from workers.judge.errors import SandboxUnavailable
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

TESTS = StdioTestSet(
    cases=[StdioCase(input="2 3\n", output="5\n"), StdioCase(input="4 4\n", output="8\n")]
)
ADD = "a, b = map(int, input().split())\nprint(a + b)\n"


def crucible(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_judge_reads_stdin_and_prints_a_result() -> None:
    done = crucible("judge", stdin=Submission(code=ADD, tests=TESTS).model_dump_json())
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert (result.status, result.reward, result.pass_fraction) == ("graded", 1, 1.0)
    assert result.runtime.startswith("CPython 3.")


def test_a_wrong_program_still_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "submission.json"
    path.write_text(Submission(code="print(0)", tests=TESTS).model_dump_json())
    done = crucible("judge", str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["reward"] == 0


def test_invalid_json_is_a_clear_error() -> None:
    done = crucible("judge", stdin='{"code": "print(1)"}')
    assert done.returncode == 2
    assert "exactly one of `tests` or `testset`" in done.stderr


def test_missing_nsjail_is_an_error_never_a_zero(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "CRUCIBLE_NSJAIL_PATH": str(tmp_path / "no-nsjail")}
    done = crucible("judge", stdin=Submission(code=ADD, tests=TESTS).model_dump_json(), env=env)
    assert done.returncode == 3
    result = RewardResult.model_validate_json(done.stdout)
    assert result.status == "error" and result.reward is None
    assert result.error is not None and result.error.code == "sandbox_unavailable"


def test_unusable_cgroups_raise_a_typed_error(tmp_path: Path) -> None:
    judge = Judge(JudgeSettings(cgroup_root=tmp_path))
    with pytest.raises(SandboxUnavailable):
        judge.grade(Submission(code=ADD, tests=TESTS))
    assert judge.grade_or_error(Submission(code=ADD, tests=TESTS)).reward is None
