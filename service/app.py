"""The FastAPI gateway: wiring, one error shape for everything, and the process's lifespan.

Every error, FastAPI's own validation errors and unknown paths included, is
`{"error": {"code", "message", "retryable"}}` (service/errors.py lists the codes).  Bad input
is a 4xx; a 500 `internal_error` means a bug of ours, and is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import metrics
from service.body import BodyLimit
from service.errors import ApiError, InternalError, InvalidRequest, MethodNotAllowed, NotFound
from service.gateway import Gateway
from service.notify import Notifier
from service.queue import JobQueue
from service.routes import batches, ops, run_code, submissions, testsets
from service.settings import GatewaySettings
from service.store import GatewayStore, connect

log = logging.getLogger(__name__)
MAX_LOCATIONS = 10


def create_app(settings: GatewaySettings) -> FastAPI:
    app = FastAPI(
        title="Crucible",
        summary="Sandboxed code-execution rewards for RL on code.",
        version="0.1.0",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.tokens = [t.get_secret_value().encode() for t in settings.api_tokens]
    for router in (
        testsets.router,
        submissions.router,
        batches.router,
        run_code.router,
        ops.router,
    ):
        app.include_router(router)
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(Timing)
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_body_mb * 1024 * 1024))
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: GatewaySettings = app.state.settings
    connection = connect(settings)
    notifier = Notifier(connection)
    queue = JobQueue(settings)
    app.state.gateway = Gateway(
        settings=settings, store=GatewayStore(connection, settings), queue=queue, notifier=notifier
    )
    listener = asyncio.create_task(notifier.run(), name="crucible-done-listener")
    try:
        yield
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        queue.close()
        await connection.aclose()


def error_response(error: ApiError) -> JSONResponse:
    metrics.error(error.code)
    return JSONResponse(
        error.response_body().model_dump(mode="json"),
        status_code=error.status,
        headers=error.headers,
    )


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
        for e in exc.errors()[:MAX_LOCATIONS]
    ]
    more = len(exc.errors()) - MAX_LOCATIONS
    message = "; ".join(problems) + (f"; and {more} more" if more > 0 else "")
    return error_response(InvalidRequest(message or "invalid request"))


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 404:
        return error_response(NotFound(f"no route {request.url.path}"))
    if exc.status_code == 405:
        return error_response(MethodNotAllowed(f"{request.method} is not allowed here"))
    return error_response(InvalidRequest(str(exc.detail)))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(InternalError("an unexpected error on our side; it was logged"))


class Timing:
    """Gateway time per request, labelled by route template (a closed set), and reported to
    the caller as `Server-Timing: app;dur=MS` (the time until the response starts, long-poll
    waits included), so a client can tell the gateway's share from the network's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                headers = [*message.get("headers", ()), (b"server-timing", b"app;dur=%.3f" % took)]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None)
            if isinstance(path, str):
                metrics.observe_request(path, time.perf_counter() - started)
