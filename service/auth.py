"""Optional bearer tokens: with tokens configured, every API route needs one of them."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from service.errors import Unauthorized


async def authorize(request: Request) -> None:
    tokens: list[bytes] = request.app.state.tokens
    if not tokens:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    candidate = given.strip().encode()
    # Compare with every token, always, so timing says nothing about which one nearly matched.
    matches = [hmac.compare_digest(candidate, token) for token in tokens]
    if scheme.lower() != "bearer" or not any(matches):
        raise Unauthorized(
            "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )


Authorized = Annotated[None, Depends(authorize)]
