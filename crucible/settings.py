"""The client's settings from the environment, read once where a client is made without
explicit ones: CRUCIBLE_URL (default http://127.0.0.1:8000) and CRUCIBLE_API_TOKEN."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """The trainer-side client (RewardClient, the TRL and verl adapters)."""

    url: str = field(
        default=DEFAULT_URL, metadata={"env": "CRUCIBLE_URL", "description": "The gateway."}
    )
    token: str | None = field(
        default=None,
        metadata={
            "env": "CRUCIBLE_API_TOKEN",
            "description": "Bearer token sent to the gateway; none: no Authorization header.",
        },
    )

    def __repr__(self) -> str:  # never print the token
        return f"ClientSettings(url={self.url!r}, token={'***' if self.token else None})"


def client_settings(environ: Mapping[str, str] | None = None) -> ClientSettings:
    env = os.environ if environ is None else environ
    given = {f.name: env.get(f.metadata["env"], "").strip() for f in fields(ClientSettings)}
    return ClientSettings(url=given["url"] or DEFAULT_URL, token=given["token"] or None)
