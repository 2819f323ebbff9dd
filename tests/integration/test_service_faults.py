"""Faults on our side: a worker killed mid-job, repeated failure, Redis going away."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from crucible.schema import Submission
from crucible.schema import testset_hash as sha256_of
from server.contract import GRADE_TASK, QueuedJob
from server.stack import RedisServer, free_port
from service.settings import GatewaySettings
from service.store import connect as gateway_redis
from tests.integration.conftest import Gateway, Stack, Workers
from tests.integration.test_service_api import ADD, ADD_TESTS, submission, unique
from workers.queue.reaper import reap
from workers.queue.settings import WorkerSettings
from workers.queue.store import WorkerStore, connect

pytestmark = pytest.mark.integration


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_a_worker_killed_mid_job_loses_nothing(service: Stack, api: httpx.Client) -> None:
    store = redis.Redis.from_url(service.redis.url, decode_responses=True)
    slow = "import time\ntime.sleep(2)\n" + ADD
    key = api.post("/v1/submissions", json=submission(slow)).json()["id"]
    wait_for(lambda: store.get(f"crucible:lease:{key}") is not None, 20, "the job to start")
    holder = store.get(f"crucible:lease:{key}") or ""
    pid = int(holder.split(":")[1])  # token: host:pid:nonce
    os.kill(pid, signal.SIGKILL)
    reply = api.get(f"/v1/submissions/{key}", params={"wait": 60})
    assert reply.status_code == 200, reply.text
    result = reply.json()["result"]
    assert result["status"] == "graded" and result["reward"] == 1
    assert store.get(f"crucible:attempts:{key}") == "2"
    # The supervisor replaces the killed process.
    service.workers.wait_ready(service.gateway, 2)


def test_repeated_infrastructure_failure_is_an_error_never_a_zero(
    service: Stack, api: httpx.Client
) -> None:
    """A job whose workers keep dying: after max_attempts starts the reaper stores an error."""
    body = Submission.model_validate(submission())
    assert body.tests is not None
    tests_sha = api.put(f"/v1/testsets/{sha256_of(body.tests)}", json=ADD_TESTS).json()["sha256"]
    queued = body.model_copy(update={"tests": None, "testset": tests_sha})
    job = QueuedJob(key=queued.content_key(), task=GRADE_TASK, timeout_s=60, submission=queued)
    settings = WorkerSettings(redis_url=service.redis.url, max_attempts=3)
    store = WorkerStore(connect(settings), settings)
    raw = redis.Redis.from_url(service.redis.url)
    # What three lost attempts leave behind: the job record, 3 starts, a lapsed deadline.
    raw.set(f"crucible:job:{job.key}", job.model_dump_json())
    raw.set(f"crucible:attempts:{job.key}", 3)
    raw.zadd("crucible:deadline", {job.key: 0})
    reap(store, connect(settings, socket_timeout=None), settings)
    reply = api.get(f"/v1/submissions/{job.key}")
    assert reply.status_code == 200
    result = reply.json()["result"]
    assert result["status"] == "error" and result["reward"] is None
    assert result["error"]["code"] == "worker_lost" and result["error"]["retryable"] is True
    # Sending it again runs it again: an error is reported, never cached as the answer.
    again = api.post("/v1/submissions", params={"wait": 30}, json=body.model_dump(mode="json"))
    assert again.json()["result"]["status"] == "graded" and again.json()["result"]["reward"] == 1


@pytest.fixture()
def own_stack(tmp_path: Path) -> Iterator[tuple[RedisServer, Gateway, Workers]]:
    """A Redis of this test's own (it will be stopped), a gateway and one worker."""
    server = RedisServer(data_dir=tmp_path / "redis")
    server.start()
    workers = Workers(server.url, 1)
    gateway = Gateway(server.url, CRUCIBLE_RETRY_AFTER_S="2")
    try:
        workers.wait_ready(gateway, 1)
        yield server, gateway, workers
    finally:
        gateway.stop()
        workers.stop()
        server.stop()


def test_redis_restart_is_a_503_then_the_service_recovers(
    own_stack: tuple[RedisServer, Gateway, Workers],
) -> None:
    server, gateway, workers = own_stack
    with gateway.client() as api:
        assert (
            api.post("/v1/submissions", params={"wait": 30}, json=submission()).status_code == 200
        )
        server.stop()
        down = api.post("/v1/submissions", json=submission())
        assert down.status_code == 503, down.text
        assert down.json()["error"]["code"] == "redis_unavailable"
        assert down.json()["error"]["retryable"] is True
        assert down.headers["Retry-After"] == "2"
        assert api.get("/readyz").status_code == 503
        server.start()
        # The gateway reconnects by itself, and the worker (restarted if it had to) takes jobs.
        workers.wait_ready(gateway, 1)
        reply = api.post("/v1/submissions", params={"wait": 60}, json=submission())
        assert reply.status_code == 200, reply.text
        assert reply.json()["result"]["reward"] == 1


def test_crucible_run_starts_the_stack_and_stops_it_on_ctrl_c(tmp_path: Path) -> None:
    port, metrics = free_port(), free_port()
    command = [
        sys.executable, "-m", "server.cli", "run", "--port", str(port), "--workers", "1",
        "--metrics-port", str(metrics), "--data-dir", str(tmp_path),
    ]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 90
            line = ""
            while "ready at" not in line and time.monotonic() < deadline:
                line = proc.stdout.readline()
                assert line or proc.poll() is None, "crucible run exited early"
            assert f"http://127.0.0.1:{port}" in line
            body = {"code": unique(ADD), "tests": ADD_TESTS}
            url = f"http://127.0.0.1:{port}/v1/submissions?wait=30"
            assert httpx.post(url, json=body, timeout=60).json()["result"]["reward"] == 1
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=40) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    for open_port in (port, metrics):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{open_port}/metrics", timeout=2)


def test_a_claimed_job_gets_the_queue_grace_only_once_it_is_enqueued(tmp_path: Path) -> None:
    """The claim's clock is short (a gateway lost before enqueueing costs little); the
    enqueue, in the same transaction as rq's, moves it to the queue grace.  No workers here,
    so the job stays queued."""
    server = RedisServer(data_dir=tmp_path / "redis")
    server.start()
    gateway = Gateway(server.url, CRUCIBLE_CLAIM_GRACE_S="30", CRUCIBLE_QUEUE_GRACE_S="900")
    try:
        with gateway.client() as api:
            key = api.post("/v1/submissions", json=submission()).json()["id"]
        store = redis.Redis.from_url(server.url)
        seconds, micros = store.time()
        deadline = store.zscore("crucible:deadline", key)
        assert deadline is not None
        assert 890 < deadline - (seconds + micros / 1e6) <= 900
    finally:
        gateway.stop()
        server.stop()


def test_more_concurrent_requests_than_redis_connections_wait_instead_of_failing(
    redis_server: RedisServer,
) -> None:
    """The gateway's pool blocks for a free connection: a burst beyond its size was a 503."""

    async def burst() -> list[object]:
        client = gateway_redis(GatewaySettings(redis_url=redis_server.url, redis_max_connections=4))
        try:
            waits = (client.blpop(["crucible:test:nothing"], timeout=0.05) for _ in range(150))
            return await asyncio.gather(*waits)
        finally:
            await client.aclose()

    assert asyncio.run(burst()) == [None] * 150
