"""`POST /v1/batches` and `GET /v1/batches/{id}`: one RL step's submissions, results in order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from crucible.schema import BatchAccepted, BatchRequest, BatchStatus
from service.auth import Authorized
from service.deps import SHA256, GatewayDep, Wait, documented

router = APIRouter(prefix="/v1/batches", tags=["batches"])
ERRORS = documented(401, 404, 413, 422, 429, 503)


@router.post("", response_model=BatchAccepted, status_code=202, responses=ERRORS)
async def post_batch(
    batch: Annotated[BatchRequest, Body()], gateway: GatewayDep, _: Authorized
) -> BatchAccepted:
    """Enqueue many submissions at once.  The id is a hash of their content keys, so sending
    the same batch again is harmless and returns the same id."""
    batch_id, total, cached = await gateway.submit_batch(batch.submissions)
    return BatchAccepted(id=batch_id, total=total, cached=cached)


@router.get(
    "/{batch_id}", response_model=None, responses=documented(401, 404, 422, 503, _200=BatchStatus)
)
async def get_batch(
    batch_id: Annotated[str, Path(pattern=SHA256)],
    gateway: GatewayDep,
    _: Authorized,
    wait: Wait = 0,
    min_done: Annotated[
        int | None, Query(ge=0, description="With wait: return once this many are done.")
    ] = None,
) -> Response:
    """`{"id", "total", "done", "results"}`, results in input order and null where not graded
    yet.  With `wait`, returns when all (or `min_done`) are done or the wait is over."""
    body = await gateway.batch(batch_id, wait=wait, min_done=min_done)
    return Response(content=body, media_type="application/json")
