"""The gateway app without services: error shapes, auth, body caps, and Redis being away.

Redis points at a port nothing listens on, so every route that needs it must answer 503
`redis_unavailable` (with Retry-After), and everything decided before Redis still works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from server.stack import free_port
from service.app import create_app
from service.settings import GatewaySettings

SUBMISSION = {
    "code": "print(1)",
    "tests": {"kind": "stdio", "cases": [{"input": "", "output": "1"}]},
}


def settings(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(
        redis_url=f"redis://127.0.0.1:{free_port()}/0", retry_after_s=7, **overrides
    )


class Client:
    """Synchronous calls into the app through httpx's ASGI transport, its lifespan running."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._lifespan = app.router.lifespan_context(app)
        self.loop.run_until_complete(self._lifespan.__aenter__())
        transport = httpx.ASGITransport(app=app)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://gateway")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
        self.loop.close()


def serve(app: FastAPI) -> Iterator[Client]:
    client = Client(app)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture()
def client() -> Iterator[Client]:
    yield from serve(create_app(settings(max_body_mb=0.01, max_code_kb=1)))


def error(reply: Any, status: int) -> str:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body["error"]) == {"code", "message", "retryable"}
    code: str = body["error"]["code"]
    return code


def test_redis_away_is_503_with_retry_after(client: Client) -> None:
    reply = client.post("/v1/submissions", json=SUBMISSION)
    assert error(reply, 503) == "redis_unavailable"
    assert reply.json()["error"]["retryable"] is True
    assert reply.headers["Retry-After"] == "7"
    assert error(client.get("/v1/submissions/" + "a" * 64), 503) == "redis_unavailable"
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_validation_errors_use_the_one_error_shape(client: Client) -> None:
    bad_json = client.post(
        "/v1/submissions", content=b"{", headers={"content-type": "application/json"}
    )
    assert error(bad_json, 422) == "invalid_request"
    wrong = client.post("/v1/submissions", json={"code": "x"})
    assert error(wrong, 422) == "invalid_request"
    assert "exactly one of `tests` or `testset`" in wrong.json()["error"]["message"]
    assert error(client.post("/v1/batches", json={"submissions": "no"}), 422) == "invalid_request"


def test_caps_are_checked_before_redis(client: Client) -> None:
    too_long = {**SUBMISSION, "code": "#" * 2000}
    assert error(client.post("/v1/submissions", json=too_long), 413) == "payload_too_large"
    huge = client.post("/v1/submissions", content=b"x" * 20000)
    assert error(huge, 413) == "payload_too_large"
    high = {**SUBMISSION, "limits": {"time_s": 100}}
    assert error(client.post("/v1/submissions", json=high), 422) == "limit_too_high"


def test_unknown_routes_and_methods(client: Client) -> None:
    assert error(client.get("/nowhere"), 404) == "not_found"
    assert error(client.put("/v1/submissions"), 405) == "method_not_allowed"


def test_tokens_are_required_when_configured() -> None:
    for client in serve(create_app(settings(api_tokens="one,two"))):
        assert error(client.post("/v1/submissions", json=SUBMISSION), 401) == "unauthorized"
        wrong = {"Authorization": "Bearer three"}
        assert error(client.post("/run_code", json={}, headers=wrong), 401) == "unauthorized"
        right = {"Authorization": "Bearer two"}
        reply = client.post("/v1/submissions", json=SUBMISSION, headers=right)
        assert error(reply, 503) == "redis_unavailable"  # past auth, then Redis is away
        assert client.get("/healthz").status_code == 200


def test_openapi_documents_the_contract(client: Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/submissions", "/v1/submissions/{key}", "/v1/batches", "/run_code"} <= set(paths)
    assert {"get", "put", "head"} <= set(paths["/v1/testsets/{sha256}"])


def test_every_answer_says_how_long_the_gateway_took(client: Client) -> None:
    for reply in (
        client.get("/healthz"),
        client.post("/v1/submissions", json=SUBMISSION),  # an error answer too
        client.get("/nowhere"),
    ):
        name, _, duration = reply.headers["server-timing"].partition(";dur=")
        assert name == "app"
        assert 0 < float(duration) < 60_000
