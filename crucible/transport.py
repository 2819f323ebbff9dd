"""The client's one owner of httpx: the gateway's HTTP API as typed calls, with retries.

Every request has a timeout, no request outlives the caller's deadline, and every httpx
exception or error reply becomes an error of crucible/errors.py.  Requests that fail on the
way or that the gateway marks retryable (503 redis_unavailable, 5xx) are tried again after
the wait RetryPolicy gives (Retry-After when the gateway sends one), up to its `attempts`;
backpressure (429 queue_full) is waited out for up to its `backpressure_s`.  Only
idempotent requests are made: test sets are PUT by content hash and batch ids are hashes of
their content, so a retried request never grades anything twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from crucible import errors
from crucible.retry import DEFAULT_RETRY, RetryPolicy, parse_retry_after
from crucible.schema import (
    BatchAccepted,
    BatchRequest,
    BatchStatus,
    ErrorResponse,
    Submission,
    TestSetInfo,
)
from crucible.schema import TestSet as TestSetModel

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
USER_AGENT = "crucible-client/0.1.0"
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds.  A long-poll's read timeout is its wait plus `request_s`."""

    connect_s: float = 10.0
    request_s: float = 60.0


class Deadline:
    """A point on the monotonic clock that a whole call must finish by (None: no deadline)."""

    def __init__(self, seconds: float | None, *, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.at = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - self.clock()

    def check(self, what: str, *, missing: int = 0) -> None:
        left = self.remaining()
        if left is not None and left <= 0:
            raise errors.DeadlineExceeded(f"deadline passed while {what}", missing=missing)

    def cap(self, seconds: float) -> float:
        left = self.remaining()
        return seconds if left is None else max(min(seconds, left), 0.001)


class GatewayApi:
    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        timeouts: Timeouts = Timeouts(),
        retry: RetryPolicy = DEFAULT_RETRY,
        max_connections: int = 16,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        headers = {"User-Agent": USER_AGENT}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.timeouts = timeouts
        self.retry = retry
        self.sleep = sleep
        self.http = httpx.AsyncClient(
            base_url=url.rstrip("/"),
            headers=headers,
            transport=transport,
            limits=httpx.Limits(max_connections=max_connections),
            timeout=httpx.Timeout(timeouts.request_s, connect=timeouts.connect_s),
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    # -- the API ---------------------------------------------------------------------------
    async def testset_known(self, sha: str, *, deadline: Deadline) -> bool:
        """HEAD /v1/testsets/{sha}: registered (its TTL refreshed), or not."""
        try:
            await self._request("HEAD", f"/v1/testsets/{sha}", deadline=deadline)
        except errors.NotFound:
            return False
        return True

    async def put_testset(
        self, sha: str, testset: TestSetModel, *, deadline: Deadline
    ) -> TestSetInfo:
        body = testset.model_dump_json().encode()
        reply = await self._request("PUT", f"/v1/testsets/{sha}", body=body, deadline=deadline)
        return _parse(TestSetInfo, reply)

    async def post_batch(
        self, submissions: Sequence[Submission], *, deadline: Deadline
    ) -> BatchAccepted:
        body = BatchRequest(submissions=list(submissions)).model_dump_json().encode()
        reply = await self._request("POST", "/v1/batches", body=body, deadline=deadline)
        return _parse(BatchAccepted, reply)

    async def get_batch(
        self, batch_id: str, *, wait: float, min_done: int, deadline: Deadline
    ) -> BatchStatus:
        left = deadline.remaining()
        if left is not None:  # answer in time to be read before the deadline
            wait = max(min(wait, left - 0.5), 0.0)
        params = {"wait": f"{wait:.3f}", "min_done": str(min_done)}
        reply = await self._request(
            "GET", f"/v1/batches/{batch_id}", params=params, deadline=deadline, wait=wait
        )
        return _parse(BatchStatus, reply)

    # -- one request, retried --------------------------------------------------------------
    async def _request(
        self,
        method: str,
        path: str,
        *,
        deadline: Deadline,
        body: bytes | None = None,
        params: dict[str, str] | None = None,
        wait: float = 0.0,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if body is not None else None
        failures = 0  # counted against `attempts`; backpressure (429) is waited out instead
        tries = 0  # both kinds: the backoff grows with every refusal
        held_back = 0.0  # seconds spent waiting out backpressure
        while True:
            deadline.check(f"calling {method} {path}")
            read = deadline.cap(wait + self.timeouts.request_s)
            timeout = httpx.Timeout(read, connect=deadline.cap(self.timeouts.connect_s))
            try:
                reply = await self.http.request(
                    method, path, content=body, params=params, headers=headers, timeout=timeout
                )
            except httpx.HTTPError as exc:
                failure: errors.CrucibleError = _transport_error(exc, method, path)
                retry_after = None
            else:
                if reply.status_code < 400:
                    return reply
                failure = _server_error(reply)
                if not isinstance(failure, errors.ServerError) or not failure.retryable:
                    raise failure
                retry_after = failure.retry_after_s
            tries += 1
            backpressure = isinstance(failure, errors.QueueFull)
            if not backpressure:
                failures += 1
                if failures >= self.retry.attempts:
                    raise failure
            pause = self.retry.delay(tries, retry_after_s=retry_after)
            if backpressure:
                held_back += pause
                if held_back > self.retry.backpressure_s:
                    raise failure
            left = deadline.remaining()
            if left is not None and pause >= left:
                raise errors.DeadlineExceeded(
                    f"deadline passed while retrying {method} {path}: {failure}"
                ) from failure
            log.info("%s %s: %s; again in %.2fs", method, path, failure, pause)
            await self.sleep(pause)


def _transport_error(exc: httpx.HTTPError, method: str, path: str) -> errors.TransportError:
    what = f"{method} {path}: {type(exc).__name__}: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        return errors.RequestTimeout(what)
    if isinstance(exc, httpx.ConnectError):
        return errors.ConnectError(what)
    return errors.TransportError(what)


def _server_error(reply: httpx.Response) -> errors.CrucibleError:
    status = reply.status_code
    retry_after = parse_retry_after(reply.headers.get("Retry-After"))
    try:
        body = ErrorResponse.model_validate_json(reply.content).error
        code, message, retryable = body.code, body.message, body.retryable
    except ValidationError:  # HEAD has no body; a proxy may answer in HTML
        code, message = f"http_{status}", reply.text[:200] or reply.reason_phrase
        retryable = status in RETRYABLE_STATUS
    kind = _ERROR_CLASSES.get(status, errors.Unavailable if status >= 500 else errors.BadRequest)
    return kind(message, code=code, status=status, retryable=retryable, retry_after_s=retry_after)


_ERROR_CLASSES: dict[int, type[errors.ServerError]] = {
    401: errors.Unauthorized,
    404: errors.NotFound,
    429: errors.QueueFull,
}


def _parse(model: type[M], reply: httpx.Response) -> M:
    try:
        return model.model_validate_json(reply.content)
    except ValidationError as exc:
        raise errors.ProtocolError(
            f"{reply.request.method} {reply.request.url.path}: the reply is not a"
            f" {model.__name__}: {exc.error_count()} problem(s), first: {_first(exc)}"
        ) from exc


def _first(exc: ValidationError) -> Any:
    problems = exc.errors()
    return problems[0]["msg"] if problems else "?"
