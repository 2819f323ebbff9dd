"""`/healthz` (the process answers), `/readyz` (Redis and a live worker), `/metrics`."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Response

from crucible.schema import Health
from service import metrics
from service.deps import GatewayDep
from service.errors import RedisUnavailable
from service.queue import QUEUE_KEY

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(gateway: GatewayDep, response: Response) -> Health:
    try:
        workers = await gateway.store.live_workers()
    except RedisUnavailable:
        response.status_code = 503
        return Health(status="unavailable", redis=False, workers=0)
    if workers < 1:
        response.status_code = 503
        return Health(status="unavailable", workers=0)
    return Health(status="ok", workers=workers)


@router.get("/metrics", response_class=Response)
async def prometheus(gateway: GatewayDep) -> Response:
    with contextlib.suppress(RedisUnavailable):  # keep the last values while Redis is away
        metrics.QUEUE_DEPTH.set(await gateway.store.queue_depth(QUEUE_KEY))
        metrics.WORKERS_LIVE.set(await gateway.store.live_workers())
        metrics.QUEUE_OLDEST.set(await gateway.queue.oldest_age_s())
    body, content_type = metrics.exposition()
    return Response(content=body, media_type=content_type)
