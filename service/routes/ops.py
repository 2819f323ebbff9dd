"""`/healthz` (the process answers), `/readyz` (Redis and a live worker), `/metrics`."""

from __future__ import annotations

from fastapi import APIRouter, Response

from crucible.schema import Health
from service import metrics
from service.deps import GatewayDep

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(gateway: GatewayDep, response: Response) -> Health:
    health = await gateway.readiness()
    if health.status != "ok":
        response.status_code = 503
    return health


@router.get("/metrics", response_class=Response)
async def prometheus(gateway: GatewayDep) -> Response:
    await gateway.refresh_gauges()
    body, content_type = metrics.exposition()
    return Response(content=body, media_type=content_type)
