"""`crucible gateway`: serve the API with uvicorn until SIGINT/SIGTERM."""

from __future__ import annotations

import logging

import uvicorn

from service.app import create_app
from service.settings import GatewaySettings

GRACEFUL_S = 5


def serve(settings: GatewaySettings) -> int:
    logging.basicConfig(
        force=True,
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_S,
        # Long-polls hold connections; keep-alive lets a trainer reuse them.
        timeout_keep_alive=75,
    )
    return 0
