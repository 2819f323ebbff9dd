"""`crucible judge`: one Submission JSON in, one Result JSON out; exit status by outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crucible.schema import RewardResult, StdioCase, StdioTestSet, Submission
from tests.integration.conftest import DATASETS
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


KATTIS = DATASETS / "kattis-problemtools-examples"


def test_judge_problem_grades_a_program_file_against_a_kattis_package() -> None:
    different = KATTIS / "different"
    done = crucible(
        "judge", "--problem", str(different), str(different / "submissions/accepted/different.c")
    )
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert result.reward == 1 and result.language == "c"
    assert result.comparator is not None and result.comparator.name == "checker:kattis"
    wrong = different / "submissions/wrong_answer/different_no_abs.cc"
    done = crucible("judge", "--problem", str(different), str(wrong), "--all-tests")
    assert done.returncode == 0 and json.loads(done.stdout)["reward"] == 0
    assert "secret/01: wrong_answer" in done.stderr  # which test, by its name in the package


def test_judge_problem_grades_an_interactive_package() -> None:
    guess = KATTIS / "guess"
    done = crucible("judge", "--problem", str(guess), str(guess / "submissions/accepted/guess.cc"))
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert result.reward == 1 and len(result.tests) == 10
    wrong = guess / "submissions/wrong_answer/guess_0.cc"
    done = crucible("judge", "--problem", str(guess), str(wrong))
    assert done.returncode == 0 and json.loads(done.stdout)["verdict"] == "wrong_answer"


def test_judge_problem_refuses_what_it_cannot_grade(tmp_path: Path) -> None:
    program = tmp_path / "solution.kt"
    program.write_text("fun main() {}\n")
    done = crucible("judge", "--problem", str(KATTIS / "hello"), str(program))
    assert done.returncode == 2 and ".kt" in done.stderr
    done = crucible("judge", "--problem", str(tmp_path), str(program))
    assert done.returncode == 2 and "problem.yaml is missing" in done.stderr
