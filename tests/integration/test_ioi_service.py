"""The maxsum IOI task (ioi_cases/) through `crucible judge`, the HTTP API and the client:
the same scores as the judge gives, grader files over the gateway's caps refused, and a
test set with a grader named by hash for a Python program an error, never a 0.  The relay
communication task (communication_cases/) likewise through the CLI, the client and HTTP."""

from __future__ import annotations

import uuid

import httpx
import pytest

from crucible.client import RewardClient
from crucible.schema import Language, RewardResult, Submission
from crucible.schema import testset_hash as sha256_of
from tests.integration.conftest import Gateway, Stack
from tests.integration.test_cli_judge import crucible
from tests.integration.test_communication import TASK as RELAY
from tests.integration.test_communication import relay
from tests.integration.test_ioi import TASK, maxsum

pytestmark = pytest.mark.integration


def program(name: str) -> str:
    return f"{(TASK / 'programs' / name).read_text()}// {uuid.uuid4().hex}\n"


def test_crucible_judge_scores_a_grader_task() -> None:
    submission = Submission(language=Language.cpp, code=program("int_overflow.cpp"), tests=maxsum())
    done = crucible("judge", stdin=submission.model_dump_json())
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert result.score is not None and result.reward == 0
    assert [part.score for part in result.score.subtasks] == [1, 1, 0]
    assert (result.score.total, result.score.max) == (50, 100)


def test_the_client_registers_the_grader_once_and_gets_scores(service: Stack) -> None:
    tests = maxsum()
    names = ["full.cpp", "positive_only.cpp", "zero.cpp", "exit_in_solve.cpp"]
    submissions = [Submission(language=Language.cpp, code=program(n), tests=tests) for n in names]
    with RewardClient(service.gateway.url, progress=False, poll_wait_s=5) as client:
        results = client.grade_many(submissions)
    assert [r.reward for r in results] == [1, 0, 0, 0]
    assert [r.score.total if r.score else None for r in results] == [100, 20, 0, 0]


def relay_program(name: str) -> str:
    mark = "#" if name.endswith(".py") else "//"
    return f"{(RELAY / 'programs' / name).read_text()}{mark} {uuid.uuid4().hex}\n"


def test_crucible_judge_scores_a_communication_task() -> None:
    submission = Submission(language=Language.cpp, code=relay_program("long.cpp"), tests=relay())
    done = crucible("judge", stdin=submission.model_dump_json())
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert result.comparator is not None and result.comparator.name == "checker:manager"
    assert result.score is not None and (result.score.total, result.reward) == (50, 0)


def test_the_client_and_http_grade_a_communication_task(service: Stack, api: httpx.Client) -> None:
    tests = relay()
    names = ["correct.cpp", "relay.py", "ten_bits.cpp", "bob_crashes.cpp"]
    submissions = [
        Submission(
            language=Language.python if name.endswith(".py") else Language.cpp,
            code=relay_program(name),
            tests=tests,
        )
        for name in names
    ]
    with RewardClient(service.gateway.url, progress=False, poll_wait_s=5) as client:
        results = client.grade_many(submissions)
    assert [r.reward for r in results] == [1, 1, 0, 0], [r.verdict for r in results]
    assert [r.score.total if r.score else None for r in results] == [100, 100, 40, 0]
    body = {"language": "cpp", "code": relay_program("correct.cpp"), "testset": sha256_of(tests)}
    done = api.post("/v1/submissions", params={"wait": 60}, json=body).json()["result"]
    assert done["reward"] == 1 and done["score"]["total"] == 100, done


def test_a_registered_grader_test_set_is_an_error_for_python(api: httpx.Client) -> None:
    tests = maxsum()
    sha = sha256_of(tests)
    assert api.put(f"/v1/testsets/{sha}", json=tests.model_dump(mode="json")).status_code in (
        200,
        201,
    )
    body = {"language": "python", "code": f"print(1)  # {uuid.uuid4().hex}", "testset": sha}
    result = api.post("/v1/submissions", params={"wait": 60}, json=body).json()["result"]
    assert result["status"] == "error" and result["reward"] is None, result
    assert "grader" in result["error"]["message"]
    inline = api.post(
        "/v1/submissions", json={**body, "testset": None, "tests": tests.model_dump(mode="json")}
    )
    assert inline.status_code == 422


def grader_body(files: dict[str, str]) -> dict[str, object]:
    tests = {
        "kind": "stdio",
        "cases": [{"input": "1\n", "output": "1\n"}],
        "grader": {"files": files},
    }
    return {"language": "cpp", "code": f"// {uuid.uuid4().hex}\n", "tests": tests}


def test_grader_files_over_the_caps_are_refused(service: Stack, api: httpx.Client) -> None:
    many = api.post("/v1/submissions", json=grader_body({f"h{i}.h": "" for i in range(17)}))
    assert many.status_code == 422 and many.json()["error"]["code"] == "too_many_files"
    small = Gateway(service.redis.url, CRUCIBLE_MAX_GRADER_KB="4", CRUCIBLE_MAX_GRADER_TOTAL_KB="6")
    try:
        with small.client() as client:
            one = client.post("/v1/submissions", json=grader_body({"g.cpp": "x" * 5000}))
            assert one.status_code == 413 and "'g.cpp'" in one.json()["error"]["message"]
            both = client.post(
                "/v1/submissions", json=grader_body({"a.cpp": "x" * 3500, "b.h": "x" * 3500})
            )
            assert both.status_code == 413 and "together" in both.json()["error"]["message"]
    finally:
        small.stop()
