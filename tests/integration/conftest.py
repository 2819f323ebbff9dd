"""Fixtures for integration tests: a real judge on real nsjail, and the service on a Redis of
its own (gateway and worker processes, real HTTP).  Missing nsjail or redis-server fails."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from crucible.schema import RewardResult, Submission
from server.stack import RedisServer, free_port
from server.stack import spawn as spawn_service
from server.stack import stop as stop_process
from workers.judge.grade import Judge
from workers.judge.jail import nsjail_binary

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

Grade = Callable[..., RewardResult]


@pytest.fixture(scope="session")
def judge() -> Iterator[Judge]:
    judge = Judge()
    nsjail_binary(judge.settings)  # raises, failing the test, when nsjail is missing
    yield judge
    judge.close()


@pytest.fixture(scope="session")
def grade(judge: Judge) -> Grade:
    """grade(code, tests, **submission_fields) -> RewardResult, raising on judge faults."""

    def _grade(code: str, tests: Any, **fields: Any) -> RewardResult:
        return judge.grade(Submission(code=code, tests=tests, **fields))

    return _grade


@pytest.fixture(scope="session")
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.fail(f"shared datasets not found at {DATASETS}")
    return DATASETS


# -- the service: real Redis, real gateway and worker processes, real HTTP -----------------

REPO = Path(__file__).resolve().parents[2]
# Short leases so a killed worker's job runs again within seconds.
FAST_LEASES = {
    "CRUCIBLE_LEASE_TTL_S": "2",
    "CRUCIBLE_HEARTBEAT_S": "0.4",
    "CRUCIBLE_REAP_INTERVAL_S": "0.5",
    "CRUCIBLE_MAX_ATTEMPTS": "3",
    "CRUCIBLE_LOG_LEVEL": "WARNING",
}
# Small caps, so the bad-input tests stay small.
SMALL_CAPS = {
    "CRUCIBLE_MAX_BODY_MB": "1",
    "CRUCIBLE_MAX_CODE_KB": "64",
    "CRUCIBLE_MAX_TESTS": "50",
    "CRUCIBLE_MAX_BATCH": "100",
    "CRUCIBLE_MAX_TIME_S": "20",
    "CRUCIBLE_MAX_MEMORY_MB": "2048",
    "CRUCIBLE_RUN_CODE_FILES_KB": "64",
}


class Service:
    """One `crucible gateway` or `crucible worker` process started for a test."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        command = [sys.executable, "-m", "server.cli", *args]
        self.proc = spawn_service(command, env={**os.environ, **env})

    def stop(self) -> int:
        return stop_process(self.proc)


class Gateway(Service):
    def __init__(self, redis_url: str, *, port: int | None = None, **env: str) -> None:
        self.port = port or free_port()  # a fixed port: a gateway started again in its place
        self.url = f"http://127.0.0.1:{self.port}"
        settings = {**FAST_LEASES, **SMALL_CAPS, **env}
        super().__init__(
            "gateway", "--port", str(self.port), "--redis-url", redis_url, env=settings
        )
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"the gateway exited with {self.proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            if time.monotonic() > deadline:
                pytest.fail("the gateway did not start")
            time.sleep(0.1)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)


class Workers(Service):
    def __init__(self, redis_url: str, processes: int, **env: str) -> None:
        self.metrics_port = free_port()
        args = ["--processes", str(processes), "--redis-url", redis_url]
        args += ["--metrics-port", str(self.metrics_port)]
        super().__init__("worker", *args, env={**FAST_LEASES, **env})

    def wait_ready(self, gateway: Gateway, count: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the workers exited with {self.proc.returncode}"
            reply = httpx.get(f"{gateway.url}/readyz", timeout=5)
            if reply.status_code == 200 and reply.json()["workers"] >= count:
                return
            time.sleep(0.2)
        pytest.fail(f"{count} worker(s) did not become ready")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of the test session's own (never the machine's 6379)."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(data_dir=tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Stack:
    redis: RedisServer
    gateway: Gateway
    workers: Workers


@pytest.fixture(scope="session")
def service(redis_server: RedisServer) -> Iterator[Stack]:
    """Gateway plus two worker processes on the session's Redis."""
    workers = Workers(redis_server.url, 2)
    gateway = Gateway(redis_server.url)
    try:
        workers.wait_ready(gateway, 2)
        yield Stack(redis_server, gateway, workers)
    finally:
        gateway.stop()
        workers.stop()


@pytest.fixture()
def api(service: Stack) -> Iterator[httpx.Client]:
    with service.gateway.client() as client:
        yield client
