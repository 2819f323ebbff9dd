"""Checkers through the service: a test set carrying its checker, inline or registered by its
hash, graded by real workers over HTTP and through the client; and the gateway's answers to
a checker it does not take (413, 422 with their codes)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from crucible.client import RewardClient
from crucible.schema import Checker, StdioCase, StdioTestSet, Submission
from crucible.schema import testset_hash as sha256_of
from tests.integration.conftest import Gateway, Stack

pytestmark = pytest.mark.integration
CASES = Path(__file__).parent / "checker_cases"
RIGHT = "n = int(input())\nprint(*range(n, 0, -1))\n"
WRONG = "n = int(input())\nprint(*[1] * n)\n"
SHORT = "n = int(input())\nprint(*range(1, n))\n"


def permutation_tests() -> StdioTestSet:
    checker = Checker(
        protocol="testlib",
        source=(CASES / "permutation" / "checker.cpp").read_text(),
        files={"checklib.h": (CASES / "checklib.h").read_text()},
    )
    cases = [StdioCase(input=f"{n}\n", output=f"{n}\n") for n in (1, 4, 9)]
    return StdioTestSet(cases=cases, checker=checker)


def unique(code: str) -> str:
    return f"{code}# {uuid.uuid4().hex}\n"


def test_an_inline_checker_grades_over_http(api: httpx.Client) -> None:
    tests = permutation_tests().model_dump(mode="json")
    for code, reward, message in ((RIGHT, 1, "a permutation"), (SHORT, 0, "presentation")):
        body = {"code": unique(code), "tests": tests}
        reply = api.post("/v1/submissions", params={"wait": 60}, json=body)
        assert reply.status_code == 200, reply.text
        result = reply.json()["result"]
        assert result["reward"] == reward, result
        assert result["comparator"] == {"name": "checker:testlib", "version": 1}
        assert any(message in test["message"] for test in result["tests"]), result


def test_a_registered_test_set_carries_its_checker(api: httpx.Client) -> None:
    tests = permutation_tests()
    sha = sha256_of(tests)
    body = tests.model_dump_json()
    reply = api.put(
        f"/v1/testsets/{sha}", content=body, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code in (200, 201), reply.text
    stored = StdioTestSet.model_validate_json(api.get(f"/v1/testsets/{sha}").content)
    assert stored.checker == tests.checker and sha256_of(stored) == sha
    reply = api.post(
        "/v1/submissions", params={"wait": 60}, json={"code": unique(WRONG), "testset": sha}
    )
    result = reply.json()["result"]
    assert result["reward"] == 0 and "appears twice" in result["tests"][1]["message"], result


def test_the_client_sends_a_checker_once_and_gets_rewards(service: Stack) -> None:
    tests = permutation_tests()
    programs = [RIGHT, WRONG, SHORT, RIGHT]
    with RewardClient(service.gateway.url, progress=False, poll_wait_s=5) as client:
        results = client.grade_many([Submission(code=unique(c), tests=tests) for c in programs])
    assert [r.reward for r in results] == [1, 0, 0, 1]


def checker_body(**fields: Any) -> dict[str, Any]:
    checker = {"protocol": "testlib", "source": "int main() { return 0; }\n", **fields}
    tests = {"kind": "stdio", "cases": [{"input": "1\n", "output": "1\n"}], "checker": checker}
    return {"code": unique("print(1)"), "tests": tests}


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"files": {f"h{i}.h": "" for i in range(33)}}, 422, "too_many_files"),
        ({"protocol": "python", "language": "python", "interactive": True}, 422, "invalid_request"),
        ({"files": {"../escape.h": ""}}, 422, "invalid_request"),
        ({"protocol": "brainfuck"}, 422, "invalid_request"),
        ({"limits": {"memory_mb": 8192}}, 422, "limit_too_high"),
    ],
)
def test_a_checker_the_gateway_refuses(
    api: httpx.Client, fields: dict[str, Any], status: int, code: str
) -> None:
    reply = api.post("/v1/submissions", json=checker_body(**fields))
    assert reply.status_code == status, reply.text
    assert reply.json()["error"]["code"] == code


def test_an_oversized_checker_is_413(service: Stack) -> None:
    small = Gateway(
        service.redis.url, CRUCIBLE_MAX_CHECKER_KB="4", CRUCIBLE_MAX_CHECKER_TOTAL_KB="6"
    )
    try:
        with small.client() as client:
            one = client.post("/v1/submissions", json=checker_body(files={"t.h": "x" * 5000}))
            assert one.status_code == 413 and "'t.h'" in one.json()["error"]["message"]
            assert one.json()["error"]["code"] == "payload_too_large"
            files = {"a.h": "x" * 3500, "b.h": "x" * 3500}
            both = client.post("/v1/submissions", json=checker_body(files=files))
            assert both.status_code == 413 and "together" in both.json()["error"]["message"]
            tests = checker_body(files={"t.h": "x" * 5000})["tests"]
            sha = sha256_of(StdioTestSet.model_validate(tests))
            put = client.put(f"/v1/testsets/{sha}", json=tests)
            assert put.status_code == 413, put.text
    finally:
        small.stop()


def test_an_interactive_test_set_by_hash_through_the_client(service: Stack) -> None:
    """The test set carries its interactor; the client registers it once by its hash, and
    every submission is graded by talking to it."""
    binsearch = CASES.parent / "interactive_cases" / "binsearch"
    interactor = Checker(
        protocol="kattis",
        source=(binsearch / "kattis.cpp").read_text(),
        files={"game.h": (binsearch / "game.h").read_text()},
        interactive=True,
    )
    cases = [StdioCase(input=f"1000 {n} 10\n", output=f"{n}\n") for n in (1, 500, 999)]
    tests = StdioTestSet(cases=cases, checker=interactor)
    right = (binsearch / "passed" / "search.py").read_text()
    wrong = (binsearch / "wrong_answer" / "off_by_one.py").read_text()
    programs = [right, wrong, right]
    with RewardClient(service.gateway.url, progress=False, poll_wait_s=5) as client:
        results = client.grade_many([Submission(code=unique(c), tests=tests) for c in programs])
    assert [r.reward for r in results] == [1, 0, 1], [r.error for r in results]
    assert results[1].tests[0].message == "not the hidden number"
    assert results[0].comparator is not None
    assert results[0].comparator.name == "checker:kattis"
