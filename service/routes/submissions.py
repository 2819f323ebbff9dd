"""`POST /v1/submissions` and `GET /v1/submissions/{id}`: one submission, long-poll optional."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from crucible.schema import Submission, SubmissionStatus
from service.auth import Authorized
from service.deps import SHA256, GatewayDep, Wait, documented

router = APIRouter(prefix="/v1/submissions", tags=["submissions"])
RESPONSES = documented(401, 404, 413, 422, 429, 503, _200=SubmissionStatus, _202=SubmissionStatus)


def _reply(body: bytes, done: bool) -> Response:
    return Response(content=body, status_code=200 if done else 202, media_type="application/json")


@router.post("", response_model=None, status_code=202, responses=RESPONSES)
async def post_submission(
    submission: Annotated[Submission, Body()], gateway: GatewayDep, _: Authorized, wait: Wait = 0
) -> Response:
    """Grade one submission.  202 `{"id", "state", "result": null}`; 200 with the result when
    it is cached or finishes within `wait` seconds.  The id is the submission's content key."""
    return _reply(*await gateway.submit(submission, wait=wait))


@router.get("/{key}", response_model=None, responses=RESPONSES)
async def get_submission(
    key: Annotated[str, Path(pattern=SHA256)], gateway: GatewayDep, _: Authorized, wait: Wait = 0
) -> Response:
    """Where a submission stands; with `wait`, long-poll until it is done."""
    return _reply(*await gateway.status(key, wait=wait))
