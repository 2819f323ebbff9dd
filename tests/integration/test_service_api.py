"""The HTTP API end to end: real gateway, real worker processes, real nsjail, real Redis."""

from __future__ import annotations

import base64
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis

from crucible.schema import StdioCase, StdioTestSet
from crucible.schema import testset_hash as sha256_of
from tests.integration.conftest import Gateway, Stack

pytestmark = pytest.mark.integration
ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
ADD_TESTS = {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}


def unique(code: str) -> str:
    """The same program with a fresh content key (a comment), so no test sees another's cache."""
    return f"{code}# {uuid.uuid4().hex}\n"


def submission(code: str = ADD, **fields: Any) -> dict[str, Any]:
    return {"code": unique(code), "tests": ADD_TESTS, **fields}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def counter(api: httpx.Client, name: str, labels: str = "") -> float:
    for line in api.get("/metrics").text.splitlines():
        if line.startswith(f"{name}{labels} "):
            return float(line.split()[-1])
    return 0.0


@pytest.fixture()
def store(service: Stack) -> redis.Redis:
    return redis.Redis.from_url(service.redis.url, decode_responses=True)


def test_one_submission_is_graded_through_http(api: httpx.Client) -> None:
    reply = api.post("/v1/submissions", params={"wait": 30}, json=submission())
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["state"] == "done" and len(body["id"]) == 64
    assert body["result"]["reward"] == 1 and body["result"]["verdict"] == "passed"


def test_a_wrong_answer_is_a_reward_of_zero(api: httpx.Client) -> None:
    reply = api.post("/v1/submissions", params={"wait": 30}, json=submission("print(0)"))
    assert reply.json()["result"]["reward"] == 0
    assert reply.json()["result"]["verdict"] == "wrong_answer"


def test_post_then_long_poll_returns_as_soon_as_it_is_done(api: httpx.Client) -> None:
    slow = "import time\ntime.sleep(1.5)\n" + ADD
    accepted = api.post("/v1/submissions", json=submission(slow))
    assert accepted.status_code == 202
    assert accepted.json()["state"] in ("queued", "running") and accepted.json()["result"] is None
    key = accepted.json()["id"]
    started = time.monotonic()
    done = api.get(f"/v1/submissions/{key}", params={"wait": 30})
    waited = time.monotonic() - started
    assert done.status_code == 200 and done.json()["result"]["reward"] == 1
    assert waited < 10, "the long-poll should return when the result lands, not at its end"
    again = api.get(f"/v1/submissions/{key}")
    assert again.status_code == 200 and again.json() == done.json()


def test_a_long_poll_that_times_out_says_where_the_job_stands(api: httpx.Client) -> None:
    slow = "import time\ntime.sleep(3)\n" + ADD
    key = api.post("/v1/submissions", json=submission(slow)).json()["id"]
    started = time.monotonic()
    reply = api.get(f"/v1/submissions/{key}", params={"wait": 0.5})
    assert 0.4 < time.monotonic() - started < 3
    assert reply.status_code == 202 and reply.json()["state"] in ("queued", "running")
    assert api.get(f"/v1/submissions/{key}", params={"wait": 30}).status_code == 200


def test_a_repeated_submission_is_answered_from_the_cache(api: httpx.Client) -> None:
    body = submission()
    first = api.post("/v1/submissions", params={"wait": 30}, json=body)
    hits = counter(api, "crucible_cache_hits_total")
    started = time.monotonic()
    second = api.post("/v1/submissions", json=body)
    assert time.monotonic() - started < 1
    assert second.status_code == 200 and second.json() == first.json()
    assert counter(api, "crucible_cache_hits_total") == hits + 1


def test_concurrent_identical_posts_share_one_job(api: httpx.Client, store: redis.Redis) -> None:
    body = submission("import time\ntime.sleep(1)\n" + ADD)
    enqueued = counter(api, "crucible_submissions_total", '{outcome="enqueued",route="submission"}')
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: api.post("/v1/submissions", json=body), range(8)))
    ids = {r.json()["id"] for r in replies}
    assert len(ids) == 1 and all(r.status_code in (200, 202) for r in replies)
    key = ids.pop()
    assert api.get(f"/v1/submissions/{key}", params={"wait": 30}).json()["result"]["reward"] == 1
    after = counter(api, "crucible_submissions_total", '{outcome="enqueued",route="submission"}')
    assert after == enqueued + 1, "identical submissions must be enqueued once"
    assert store.get(f"crucible:attempts:{key}") == "1", "and graded once"


def test_a_retried_post_gets_the_same_id(api: httpx.Client) -> None:
    body = submission()
    first = api.post("/v1/submissions", json=body).json()["id"]
    assert api.post("/v1/submissions", json=body).json()["id"] == first


def test_a_batch_returns_results_in_input_order(api: httpx.Client) -> None:
    good, bad = unique(ADD), unique("print(0)")
    slow = unique("import time\ntime.sleep(2)\n" + ADD)
    codes = [good, bad, slow, good, bad]
    batch = {"submissions": [{"code": code, "tests": ADD_TESTS} for code in codes]}
    accepted = api.post("/v1/batches", json=batch)
    assert accepted.status_code == 202, accepted.text
    batch_id = accepted.json()["id"]
    assert accepted.json()["total"] == 5
    partial = api.get(f"/v1/batches/{batch_id}", params={"wait": 20, "min_done": 2}).json()
    assert partial["total"] == 5 and 2 <= partial["done"] <= 5
    assert partial["results"][2] is None or partial["done"] == 5
    final = api.get(f"/v1/batches/{batch_id}", params={"wait": 30}).json()
    assert final["done"] == 5
    assert [r["reward"] for r in final["results"]] == [1, 0, 1, 1, 0]
    assert api.post("/v1/batches", json=batch).json() == {**accepted.json(), "cached": 5}


def test_a_test_set_is_registered_once_and_referenced_by_hash(api: httpx.Client) -> None:
    tests = StdioTestSet(
        cases=[StdioCase(input=f"{i} {i}\n", output=f"{2 * i}\n") for i in range(5)]
    )
    sha = sha256_of(tests)
    body = tests.model_dump(mode="json")
    created = api.put(f"/v1/testsets/{sha}", json=body)
    assert created.status_code == 201, created.text
    assert created.json() == {"sha256": sha, "kind": "stdio", "tests": 5, "created": True}
    assert api.put(f"/v1/testsets/{sha}", json=body).status_code == 200
    assert api.get(f"/v1/testsets/{sha}").json() == body
    assert api.head(f"/v1/testsets/{sha}").status_code == 200
    graded = api.post(
        "/v1/submissions", params={"wait": 30}, json={"code": unique(ADD), "testset": sha}
    )
    assert graded.json()["result"]["reward"] == 1
    assert graded.json()["result"]["pass_fraction"] == 1.0


def test_run_code_speaks_sandbox_fusion(api: httpx.Client) -> None:
    request = {
        "compile_timeout": 10,
        "run_timeout": 10,
        "code": unique("print(input()[::-1])"),
        "stdin": "crucible",
        "language": "python",
        "files": {},
        "fetch_files": [],
    }
    reply = api.post("/run_code", json=request)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] == "Success" and body["compile_result"] is None
    assert body["run_result"]["status"] == "Finished"
    assert body["run_result"]["stdout"] == "elbicurc\n" and body["run_result"]["return_code"] == 0
    assert set(body) == {
        "status", "message", "compile_result", "run_result", "executor_pod_name", "files"
    }  # fmt: skip


def test_run_code_reports_failures_and_timeouts(api: httpx.Client) -> None:
    failing = {"code": unique("raise SystemExit(3)"), "language": "python"}
    body = api.post("/run_code", json=failing).json()
    assert body["status"] == "Failed" and body["run_result"]["return_code"] == 3
    looping = {"code": unique("while True: pass"), "language": "python", "run_timeout": 1}
    body = api.post("/run_code", json=looping).json()
    assert body["status"] == "Failed" and body["run_result"]["status"] == "TimeLimitExceeded"


def test_run_code_places_and_fetches_files(api: httpx.Client) -> None:
    program = (
        "import os\n"
        "print(open('data.txt').read().strip(), open('cfg/n.bin', 'rb').read())\n"
        "open('answer.txt', 'w').write(str(sum(map(int, open('data.txt').read().split()))))\n"
        "os.symlink('/code/main.py', 'stolen.txt')\n"
    )
    request = {
        "code": unique(program),
        "language": "python",
        "files": {"data.txt": b64(b"2 3\n"), "./cfg/n.bin": b64(b"\x00\x01")},
        "fetch_files": ["answer.txt", "./data.txt", "stolen.txt", "missing.txt"],
    }
    body = api.post("/run_code", json=request).json()
    assert body["status"] == "Success", body
    assert body["run_result"]["stdout"] == "2 3 b'\\x00\\x01'\n"
    # keyed as asked; a link the program planted and a file it never made are not returned
    assert body["files"] == {"answer.txt": b64(b"5"), "./data.txt": b64(b"2 3\n")}


def test_run_code_stdin_arrives_byte_exact(api: httpx.Client) -> None:
    program = "import sys\nfirst = input()\nprint(repr(first), repr(sys.stdin.read()))\n"
    request = {"code": unique(program), "language": "python", "stdin": "a b\r\nc\rd\r\n"}
    body = api.post("/run_code", json=request).json()
    assert body["run_result"]["stdout"] == "'a b\\r' 'c\\rd\\r\\n'\n", body


def test_probes_metrics_and_docs(api: httpx.Client) -> None:
    assert api.get("/healthz").json()["status"] == "ok"
    ready = api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["workers"] >= 2
    text = api.get("/metrics").text
    for name in ("crucible_submissions_total", "crucible_queue_depth", "crucible_workers_live"):
        assert name in text
    assert api.get("/docs").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/v1/submissions", "/v1/batches/{batch_id}", "/v1/testsets/{sha256}", "/run_code"):
        assert path in paths


def test_workers_expose_their_own_metrics(service: Stack, api: httpx.Client) -> None:
    api.post("/v1/submissions", params={"wait": 30}, json=submission())
    text = httpx.get(f"http://127.0.0.1:{service.workers.metrics_port}/metrics", timeout=5).text
    assert 'crucible_grade_seconds_count{language="python",task="grade"}' in text
    assert 'crucible_verdicts_total{verdict="passed"}' in text
    assert "crucible_queue_wait_seconds_count" in text


def test_tokens_guard_the_api(service: Stack) -> None:
    guarded = Gateway(service.redis.url, CRUCIBLE_API_TOKENS="alpha, beta")
    try:
        with guarded.client() as client:
            for headers in ({}, {"Authorization": "Bearer gamma"}, {"Authorization": "alpha"}):
                reply = client.post("/v1/submissions", json=submission(), headers=headers)
                assert reply.status_code == 401
                assert reply.json()["error"]["code"] == "unauthorized"
                assert reply.headers["WWW-Authenticate"] == "Bearer"
            ok = client.post(
                "/v1/submissions",
                params={"wait": 30},
                json=submission(),
                headers={"Authorization": "Bearer beta"},
            )
            assert ok.status_code == 200 and ok.json()["result"]["reward"] == 1
            assert client.get("/healthz").status_code == 200
    finally:
        guarded.stop()


def test_backpressure_answers_429_with_retry_after(service: Stack) -> None:
    # Database 1 of the session's Redis has no workers: whatever is queued stays queued.
    idle = Gateway(service.redis.url.replace("/0", "/1"), CRUCIBLE_MAX_QUEUED="3")
    try:
        with idle.client() as client:
            for _ in range(3):
                assert client.post("/v1/submissions", json=submission()).status_code == 202
            full = client.post("/v1/submissions", json=submission())
            assert full.status_code == 429
            assert full.json()["error"] == {
                "code": "queue_full",
                "message": full.json()["error"]["message"],
                "retryable": True,
            }
            assert int(full.headers["Retry-After"]) >= 1
            batch = {"submissions": [submission(), submission()]}
            assert client.post("/v1/batches", json=batch).status_code == 429
    finally:
        idle.stop()
