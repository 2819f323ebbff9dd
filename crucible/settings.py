"""The client's settings from the environment, read once where a client is made without
explicit ones: CRUCIBLE_URL (default http://127.0.0.1:8000) and CRUCIBLE_API_TOKEN."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class ClientSettings:
    url: str = DEFAULT_URL
    token: str | None = None

    def __repr__(self) -> str:  # never print the token
        return f"ClientSettings(url={self.url!r}, token={'***' if self.token else None})"


def client_settings(environ: Mapping[str, str] | None = None) -> ClientSettings:
    env = os.environ if environ is None else environ
    token = env.get("CRUCIBLE_API_TOKEN", "").strip() or None
    return ClientSettings(url=env.get("CRUCIBLE_URL", "").strip() or DEFAULT_URL, token=token)
