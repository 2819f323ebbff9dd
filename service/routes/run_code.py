"""`POST /run_code`: SandboxFusion's request and response, for verl's sandbox_fusion reward."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from crucible.schema import RunCodeRequest, RunCodeResponse, RunResult
from service.auth import Authorized
from service.deps import GatewayDep, documented
from service.errors import RunTimeout
from service.sandbox_fusion import fetch_paths, to_response, to_run_request, wait_s

router = APIRouter(tags=["SandboxFusion"])
ERRORS = documented(401, 413, 422, 429, 503, 504)


@router.post("/run_code", response_model=RunCodeResponse, responses=ERRORS)
async def run_code(
    request: Annotated[RunCodeRequest, Body()], gateway: GatewayDep, _: Authorized
) -> RunCodeResponse:
    """Run one program on one stdin in a jail and return its raw output.

    A 504 comes before the caller's own timeout (`wait_s`); the same request again joins
    the same job, which never runs twice."""
    settings = gateway.settings
    wait = wait_s(request, settings)
    raw = await gateway.run(to_run_request(request, settings), wait=wait)
    if raw is None:
        raise RunTimeout(f"not finished within {wait:g} s; send it again to rejoin")
    return to_response(RunResult.model_validate_json(raw), asked=fetch_paths(request, settings))
