"""`PUT|GET|HEAD /v1/testsets/{sha256}`: register a test set once, reference it by hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from crucible.schema import TestSet, TestSetInfo
from service.auth import Authorized
from service.deps import SHA256, GatewayDep, documented

router = APIRouter(prefix="/v1/testsets", tags=["test sets"])
Sha = Annotated[str, Path(pattern=SHA256, description="crucible.schema.testset_hash of the body")]


@router.put(
    "/{sha256}",
    response_model=TestSetInfo,
    responses=documented(400, 401, 413, 422, 503, _201=TestSetInfo),
)
async def put_testset(
    sha256: Sha,
    testset: Annotated[TestSet, Body()],
    gateway: GatewayDep,
    _: Authorized,
    response: Response,
) -> TestSetInfo:
    """Register a test set under its content hash; 201 when new, 200 when already there."""
    info = await gateway.register_testset(sha256, testset)
    response.status_code = 201 if info.created else 200
    return info


@router.get("/{sha256}", response_model=None, responses=documented(401, 404, 422, 503))
async def get_testset(sha256: Sha, gateway: GatewayDep, _: Authorized) -> Response:
    """The registered test set, as it was registered."""
    return Response(content=await gateway.testset(sha256), media_type="application/json")


@router.head("/{sha256}", response_model=None, responses=documented(401, 404, 422, 503))
async def head_testset(sha256: Sha, gateway: GatewayDep, _: Authorized) -> Response:
    """200 when the test set is registered (its TTL is refreshed), 404 when not."""
    await gateway.touch_testset(sha256)
    return Response(media_type="application/json")
