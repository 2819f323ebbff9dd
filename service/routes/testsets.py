"""`PUT|GET|HEAD /v1/testsets/{sha256}`: register a test set once, reference it by hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from crucible.schema import TestSet, TestSetInfo, testset_hash
from service.auth import Authorized
from service.deps import SHA256, GatewayDep, documented
from service.errors import NotFound, TestSetHashMismatch
from service.limits import check_testset, test_count

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
    actual = testset_hash(testset)
    if actual != sha256:
        raise TestSetHashMismatch(f"the body hashes to {actual}, not {sha256}")
    check_testset(testset, gateway.settings)
    (created,) = await gateway.store.put_testsets({sha256: testset.model_dump_json().encode()})
    response.status_code = 201 if created else 200
    return TestSetInfo(sha256=sha256, kind=testset.kind, tests=test_count(testset), created=created)


@router.get("/{sha256}", response_model=None, responses=documented(401, 404, 422, 503))
async def get_testset(sha256: Sha, gateway: GatewayDep, _: Authorized) -> Response:
    """The registered test set, as it was registered."""
    body = await gateway.store.testset(sha256)
    if body is None:
        raise NotFound(f"test set {sha256} is not registered (or expired)")
    return Response(content=body, media_type="application/json")


@router.head("/{sha256}", response_model=None, responses=documented(401, 404, 422, 503))
async def head_testset(sha256: Sha, gateway: GatewayDep, _: Authorized) -> Response:
    """200 when the test set is registered (its TTL is refreshed), 404 when not."""
    (known,) = await gateway.store.touch_testsets([sha256])
    if not known:
        raise NotFound(f"test set {sha256} is not registered (or expired)")
    return Response(media_type="application/json")
