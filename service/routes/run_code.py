"""`POST /run_code`: SandboxFusion's request and response, for verl's sandbox_fusion reward."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from crucible.schema import RunCodeRequest, RunCodeResponse
from service.auth import Authorized
from service.deps import GatewayDep, documented

router = APIRouter(tags=["SandboxFusion"])
ERRORS = documented(401, 413, 422, 429, 503, 504)


@router.post("/run_code", response_model=RunCodeResponse, responses=ERRORS)
async def run_code(
    request: Annotated[RunCodeRequest, Body()], gateway: GatewayDep, _: Authorized
) -> RunCodeResponse:
    """Run one program on one stdin in a jail and return its raw output.

    A 504 comes before the caller's own timeout (`wait_s`); the same request again joins
    the same job, which never runs twice."""
    return await gateway.run_code(request)
