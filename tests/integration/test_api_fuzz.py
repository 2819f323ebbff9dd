"""Property-based fuzzing of the HTTP API with schemathesis, over real HTTP.

The OpenAPI schema is loaded from a live gateway (its own Redis and one worker, so the fuzzed
submissions never queue behind or in front of other tests' work), and every operation gets
schemathesis's generated requests, valid and invalid.  Each response must not be a 5xx, must
use a status code and content type the schema declares for it, and must match the declared
body schema.  Waits are capped at a second, so a generated `?wait=` never stalls the run.

The schema states "exactly one of code/response, one of tests/testset" (Submission's
`allOf`), so schema-valid submissions get past validation and are queued and graded by the
worker: the positive runs of POST /v1/submissions and /v1/batches must see them accepted.

Rerun alone: `pytest tests/integration/test_api_fuzz.py`; `FUZZ_EXAMPLES=200` fuzzes harder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.stack import RedisServer
from service.app import create_app
from service.settings import GatewaySettings
from tests.integration.conftest import Gateway, Workers

pytestmark = pytest.mark.integration

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    redis = RedisServer(data_dir=Path(tmp_path_factory.mktemp("fuzz-redis")))
    redis.start()
    workers = Workers(redis.url, 1)
    gateway = Gateway(
        redis.url,
        CRUCIBLE_API_TOKENS=TOKEN,
        CRUCIBLE_MAX_WAIT_S="1",
        CRUCIBLE_RUN_CODE_WAIT_S="30",
    )
    try:
        workers.wait_ready(gateway, 1)
        yield gateway
    finally:
        gateway.stop()
        workers.stop()
        redis.stop()


@pytest.fixture(scope="module")
def api_schema(fuzz_gateway: Gateway) -> Any:
    return schemathesis.openapi.from_url(f"{fuzz_gateway.url}/openapi.json", timeout=10)


SPEC = create_app(GatewaySettings()).openapi()  # the live one is checked to match
OPERATIONS = [(method.upper(), path) for path, ops in SPEC["paths"].items() for method in ops]
# Negative (schema-violating) requests, for the operations that take any input at all.
CASES = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE)
    for m, p in OPERATIONS
    if {"parameters", "requestBody"} & SPEC["paths"][p][m.lower()].keys()
]


# Operations whose schema-valid bodies must get past validation into the queue.
ACCEPTING = {("POST", "/v1/submissions"), ("POST", "/v1/batches")}


def test_live_schema_has_the_fuzzed_operations(api_schema: Any) -> None:
    live = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert live == set(OPERATIONS)


# schemathesis's own `from_fixture(...).parametrize()` breaks on pytest 9 (it sets
# `node._nodeid`), so each operation is a pytest case running a Hypothesis test of its own.
@pytest.mark.parametrize(
    ("method", "path", "mode"), CASES, ids=[f"{m} {p} {g.value}" for m, p, g in CASES]
)
def test_api_fuzz(
    api_schema: Any, fuzz_gateway: Gateway, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        reply = case.call_and_validate(
            base_url=fuzz_gateway.url, headers=AUTH, checks=CHECKS, timeout=60
        )
        statuses.append(reply.status_code)

    fuzz()
    # It really reached the routes: the token was taken, and requests were made.
    assert statuses, "no request was made"
    assert set(statuses) != {401}, "every request was refused as unauthorized"
    if mode is GenerationMode.POSITIVE and (method, path) in ACCEPTING:
        assert {200, 202} & set(statuses), f"no generated body was accepted: {sorted(statuses)}"
