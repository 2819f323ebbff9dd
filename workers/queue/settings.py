"""The queue worker's settings, read once from the environment (prefix CRUCIBLE_) and
/run/secrets."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from server.deployment import SharedSettings


class WorkerSettings(SharedSettings):
    """The worker deployable: how jobs are leased and retried.  Redis, the result lifetime
    and the queue grace are read as the gateway reads them (above)."""

    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    worker_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Worker processes; default: one per core.",
    )
    metrics_port: int = Field(
        9101,
        ge=0,
        le=65535,
        description="Workers' Prometheus port; 0 turns it off (`crucible run`: a free one"
        " unless set).",
    )
    lease_ttl_s: float = Field(15.0, gt=0, description="A job whose lease lapses is re-run.")
    heartbeat_s: float = Field(
        3.0, gt=0, description="Lease renewal and liveness period (at most half the lease)."
    )
    reap_interval_s: float = Field(2.0, gt=0, description="How often lapsed jobs are looked for.")
    max_attempts: int = Field(
        3, ge=1, description="Starts before repeated infrastructure failure is an error result."
    )
    testset_cache: int = Field(128, ge=0, description="Parsed test sets kept per process.")
    shutdown_grace_s: float = Field(
        10.0, gt=0, description="On stop, how long a running job may finish before a kill."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="The workers' log level."
    )

    @model_validator(mode="after")
    def _heartbeat_within_lease(self) -> WorkerSettings:
        if self.heartbeat_s * 2 > self.lease_ttl_s:
            raise ValueError("heartbeat_s must be at most half of lease_ttl_s")
        return self


def worker_settings(**overrides: object) -> WorkerSettings:
    return WorkerSettings.from_environment(**overrides)


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment plus `extra`, for a child process (settings read it there)."""
    return {**os.environ, **extra}
