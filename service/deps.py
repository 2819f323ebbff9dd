"""Dependencies the routes take, as `Annotated` aliases (set up once by the app's lifespan)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from crucible.schema import ErrorResponse
from service.gateway import Gateway
from service.settings import GatewaySettings


async def gateway(request: Request) -> Gateway:
    value: Gateway = request.app.state.gateway
    return value


async def settings(request: Request) -> GatewaySettings:
    value: GatewaySettings = request.app.state.settings
    return value


GatewayDep = Annotated[Gateway, Depends(gateway)]
SettingsDep = Annotated[GatewaySettings, Depends(settings)]
Wait = Annotated[
    float,
    Query(ge=0, description="Long-poll up to this many seconds (capped by max_wait_s)."),
]
SHA256 = r"^[0-9a-f]{64}$"


def documented(*error_statuses: int, **models: type[Any]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses`: the error shape for each status, plus `models` ("200": Model)."""
    responses: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorResponse} for status in error_statuses
    }
    for status, model in models.items():
        responses[int(status.lstrip("_"))] = {"model": model}
    return responses
