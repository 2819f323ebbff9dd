"""Bad input gets a 4xx with a machine-readable body, never a 500 (caps: conftest.SMALL_CAPS)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from crucible.schema import StdioCase, StdioTestSet
from crucible.schema import testset_hash as sha256_of
from tests.integration.test_service_api import ADD_TESTS, submission

pytestmark = pytest.mark.integration
SHA = "0" * 64


def assert_error(reply: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "retryable"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def test_malformed_json(api: httpx.Client) -> None:
    reply = api.post(
        "/v1/submissions", content=b'{"code": ', headers={"Content-Type": "application/json"}
    )
    assert_error(reply, 422, "invalid_request")


def test_wrong_types_name_their_location(api: httpx.Client) -> None:
    error = assert_error(
        api.post("/v1/submissions", json={"code": 5, "tests": ADD_TESTS}), 422, "invalid_request"
    )
    assert "body.code" in error["message"]
    error = assert_error(
        api.post("/v1/batches", json={"submissions": [{"code": "x"}]}), 422, "invalid_request"
    )
    assert "submissions.0" in error["message"]
    assert_error(api.post("/v1/batches", json={"submissions": []}), 422, "invalid_request")
    assert_error(api.post("/v1/submissions", json=[1, 2]), 422, "invalid_request")


def test_too_many_tests(api: httpx.Client) -> None:
    cases = [{"input": "", "output": ""}] * 51
    reply = api.post(
        "/v1/submissions", json={"code": "print()", "tests": {"kind": "stdio", "cases": cases}}
    )
    assert_error(reply, 422, "too_many_tests")
    tests = StdioTestSet(cases=[StdioCase(input="", output="")] * 51)
    reply = api.put(f"/v1/testsets/{sha256_of(tests)}", json=tests.model_dump(mode="json"))
    assert_error(reply, 422, "too_many_tests")


def test_code_and_bodies_too_large(api: httpx.Client) -> None:
    big_code = "#" * (65 * 1024)
    assert_error(api.post("/v1/submissions", json=submission(big_code)), 413, "payload_too_large")
    big_body = {"code": "print()", "tests": ADD_TESTS, "padding": "x" * (1100 * 1024)}
    assert_error(api.post("/v1/submissions", json=big_body), 413, "payload_too_large")
    many = {"submissions": [submission() for _ in range(101)]}
    assert_error(api.post("/v1/batches", json=many), 422, "batch_too_large")


def test_limits_above_the_server_caps(api: httpx.Client) -> None:
    error = assert_error(
        api.post("/v1/submissions", json=submission(limits={"time_s": 30})), 422, "limit_too_high"
    )
    assert "time_s" in error["message"]
    reply = api.post("/v1/submissions", json=submission(limits={"memory_mb": 4096}))
    assert_error(reply, 422, "limit_too_high")
    run = {"code": "print(1)", "language": "python", "run_timeout": 100}
    assert_error(api.post("/run_code", json=run), 422, "limit_too_high")


def test_unknown_test_set_asks_the_client_to_register_it(api: httpx.Client) -> None:
    reply = api.post("/v1/submissions", json={"code": "print()", "testset": SHA})
    error = assert_error(reply, 422, "unknown_testset")
    assert SHA in error["message"]
    assert_error(api.get(f"/v1/testsets/{SHA}"), 404, "not_found")
    assert api.head(f"/v1/testsets/{SHA}").status_code == 404


def test_a_test_set_under_the_wrong_hash(api: httpx.Client) -> None:
    body = {"kind": "stdio", "cases": [{"input": "1\n", "output": "1\n"}]}
    assert_error(api.put(f"/v1/testsets/{SHA}", json=body), 400, "testset_hash_mismatch")
    assert_error(api.put("/v1/testsets/not-a-hash", json=body), 422, "invalid_request")


def test_unknown_ids_and_routes(api: httpx.Client) -> None:
    assert_error(api.get(f"/v1/submissions/{SHA}"), 404, "not_found")
    assert_error(api.get(f"/v1/batches/{SHA}"), 404, "not_found")
    assert_error(api.get("/v1/submissions/xyz"), 422, "invalid_request")
    assert_error(api.get("/v2/anything"), 404, "not_found")
    assert_error(api.delete("/v1/submissions"), 405, "method_not_allowed")
    assert_error(api.get(f"/v1/submissions/{SHA}", params={"wait": -1}), 422, "invalid_request")


def test_run_code_refuses_what_it_cannot_run(api: httpx.Client) -> None:
    cobol = {"code": "DISPLAY 'HI'.", "language": "cobol"}
    assert_error(api.post("/run_code", json=cobol), 422, "unsupported")
    assert_error(api.post("/run_code", json={"language": "python"}), 422, "invalid_request")


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "", "a\u0000b"])
def test_run_code_refuses_paths_outside_the_programs_folder(api: httpx.Client, path: str) -> None:
    placed = {"code": "print(1)", "language": "python", "files": {path: "eA=="}}
    assert_error(api.post("/run_code", json=placed), 422, "invalid_path")
    fetched = {"code": "print(1)", "language": "python", "fetch_files": [path]}
    assert_error(api.post("/run_code", json=fetched), 422, "invalid_path")


def test_run_code_bounds_its_files(api: httpx.Client) -> None:
    run = {"code": "print(1)", "language": "python"}
    many = {f"f{i}": "eA==" for i in range(65)}  # CRUCIBLE_RUN_CODE_MAX_FILES: 64
    assert_error(api.post("/run_code", json={**run, "files": many}), 422, "too_many_files")
    fetch_many = {**run, "fetch_files": list(many)}
    assert_error(api.post("/run_code", json=fetch_many), 422, "too_many_files")
    big = base64.b64encode(b"x" * (64 * 1024 + 1)).decode()  # CRUCIBLE_RUN_CODE_FILES_KB
    reply = api.post("/run_code", json={**run, "files": {"big": big}})
    assert_error(reply, 413, "payload_too_large")
    bad = {**run, "files": {"a": "not base64!"}}
    assert_error(api.post("/run_code", json=bad), 422, "invalid_request")
