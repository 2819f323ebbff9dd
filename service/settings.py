"""Gateway settings, read once at start from the environment (prefix CRUCIBLE_) and from
secret files in /run/secrets (`api_tokens`, `redis_password`).  What the workers must see
alike (Redis, result lifetime, queue grace) is declared in server/deployment.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from server.deployment import SharedSettings


class GatewaySettings(SharedSettings):
    """The gateway deployable: where it listens, who may call it, what one request may ask."""

    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    host: str = Field("127.0.0.1", description="Address the gateway listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port the gateway listens on.")
    redis_max_connections: int = Field(
        256,
        ge=1,
        description="Connections to Redis one gateway process may hold at once; a request"
        " finding all busy waits for one.",
    )
    api_tokens: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        validation_alias=AliasChoices("CRUCIBLE_API_TOKENS", "api_tokens"),
        description="Bearer tokens, comma-separated (or secret file api_tokens, one per line);"
        " none: no authentication.",
    )
    max_queued: int = Field(
        50000,
        ge=1,
        description="Queued jobs above which POSTs get 429 (a soft limit: requests admitted at"
        " the same moment may each add their batch).",
    )
    retry_after_s: int = Field(5, ge=1, description="Retry-After on 429 and 503.")
    testset_ttl_s: int = Field(86400, ge=60, description="Test sets live this long after use.")
    job_ttl_s: int = Field(86400, ge=60, description="An unfinished job's record lives this long.")
    claim_grace_s: float = Field(
        60.0,
        gt=0,
        description="How long a claimed job may wait to be enqueued (a gateway lost between"
        " the two) before the workers' reaper enqueues it.",
    )
    max_wait_s: float = Field(300.0, gt=0, description="Longest ?wait= honoured.")
    run_code_wait_s: float = Field(
        300.0, gt=0, description="Cap on how long /run_code waits before a 504."
    )
    run_code_wait_margin_s: float = Field(
        5.0,
        ge=0,
        description="/run_code waits compile_timeout + run_timeout + this, then 504: verl's"
        " client gives up 10 s after those two, so the 504 (which it retries) comes first.",
    )
    run_code_max_files: int = Field(
        64,
        ge=0,
        le=128,  # with their folders (16 deep at most) within the folder's 4096 inodes
        description="Most `files`, and most `fetch_files`, per /run_code.",
    )
    run_code_files_kb: int = Field(
        4096,
        ge=0,
        le=12288,
        description="Largest total of a /run_code request's `files`, decoded (the program's"
        " folder, the jail's /tmp, holds 16 MB).",
    )
    max_body_mb: float = Field(64.0, gt=0, description="Largest request body.")
    max_code_kb: int = Field(512, ge=1, description="Largest `code` or `response`.")
    max_tests: int = Field(5000, ge=1, description="Most cases in one test set.")
    max_checker_kb: int = Field(
        1024,
        ge=1,
        description="Largest checker source or supporting file (KB of UTF-8; testlib.h is"
        " about 200).",
    )
    max_checker_total_kb: int = Field(
        4096, ge=1, description="Largest checker in all: its source and files together."
    )
    max_checker_files: int = Field(
        32, ge=0, le=64, description="Most supporting files a checker carries."
    )
    max_grader_kb: int = Field(
        1024, ge=1, description="Largest file of a test set's grader (KB of UTF-8)."
    )
    max_grader_total_kb: int = Field(
        4096, ge=1, description="Largest grader in all: its files together."
    )
    max_grader_files: int = Field(16, ge=1, le=32, description="Most files a grader carries.")
    max_processes: int = Field(
        4,
        ge=1,
        le=4,
        description="Most runs of a program a communication task's manager may talk with at"
        " once (each a jail of its own with the program's limits, on one worker).",
    )
    max_batch: int = Field(
        16384, ge=1, description="Most submissions in one batch (at most max_queued)."
    )
    max_time_s: float = Field(60.0, gt=0, description="Cap on limits.time_s.")
    max_wall_time_s: float = Field(121.0, gt=0, description="Cap on limits.wall_time_s.")
    max_memory_mb: int = Field(4096, ge=16, description="Cap on limits.memory_mb.")
    max_total_time_s: float = Field(900.0, gt=0, description="Cap on limits.total_time_s.")
    max_output_kb: int = Field(65536, ge=1, description="Cap on limits.output_kb.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="The gateway's log level."
    )

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: object) -> object:
        if isinstance(value, str | SecretStr):
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            return [t for t in text.replace("\n", ",").split(",") if t.strip()]
        return value

    @field_validator("api_tokens", mode="after")
    @classmethod
    def _strip_tokens(cls, value: list[SecretStr]) -> list[SecretStr]:
        return [SecretStr(t.get_secret_value().strip()) for t in value]

    @model_validator(mode="after")
    def _batch_fits_queue(self) -> GatewaySettings:
        self.max_batch = min(self.max_batch, self.max_queued)
        return self


def gateway_settings(**overrides: object) -> GatewaySettings:
    return GatewaySettings.from_environment(**overrides)
