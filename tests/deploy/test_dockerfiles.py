"""The images: hadolint (with ShellCheck on every RUN) finds nothing, ShellCheck passes the
entrypoint, the engine and image scripts and the VM scripts, and each image's stage says what
the deployment relies on.  test_compose_live.py builds and runs them for real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.deploy.conftest import DEPLOY, REPO, run, tool

DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
ENTRYPOINT = DEPLOY / "docker" / "worker-entrypoint.sh"
# The jailed programs' runtimes, the other languages' toolchains and nsjail's
# library, from Debian (the Makefile's SYS_PKGS, README "Set up").
WORKER_PACKAGES = {
    "default-jdk-headless",
    "nodejs",
    "pypy3",
    "rustc",
    "golang-go",
    "g++",
    "gcc",
    "libnl-route-3-200",
    "python3",
    "python3-numpy",
    "python3-pandas",
    "python3-sortedcontainers",
}
Instruction = tuple[str, str]


@pytest.fixture(scope="module")
def stages() -> dict[str, list[Instruction]]:
    parser = DockerfileParser(path=str(DOCKERFILE))
    out: dict[str, list[Instruction]] = {}
    current: list[Instruction] = []
    for item in parser.structure:
        if item["instruction"] == "FROM":
            current = out.setdefault(item["value"].split(" AS ")[-1], [])
        if item["instruction"] != "COMMENT":
            current.append((item["instruction"], item["value"]))
    return out


def last(stage: list[Instruction], instruction: str) -> str:
    return [value for name, value in stage if name == instruction][-1]


def test_hadolint_finds_nothing() -> None:
    result = run([tool("hadolint"), "--failure-threshold", "style", str(DOCKERFILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_is_really_checking() -> None:
    bad = "FROM python:latest\nRUN apt-get install curl\nUSER root\n"
    result = run([tool("hadolint"), "-"], input=bad)
    assert result.returncode != 0 and "DL3007" in result.stdout


@pytest.mark.parametrize(
    "script",
    [
        *sorted((DEPLOY / "docker").glob("*.sh")),
        *sorted((REPO / "tests" / "deploy" / "vm").glob("*.sh")),
    ],
)
def test_shell_scripts_pass_shellcheck(script: Path) -> None:
    result = run([tool("shellcheck"), "--severity=style", str(script)])
    assert result.returncode == 0, result.stdout


def test_images_are_built_on_debian_13(stages: dict[str, list[Instruction]]) -> None:
    # Debian 13's python3 is 3.13: the server needs >= 3.12, and the jails run on it too.
    assert set(stages) == {"build", "gateway", "worker", "redis"}
    parser = DockerfileParser(path=str(DOCKERFILE))
    (default,) = re.findall(r"^ARG BASE_IMAGE=(\S+)$", parser.content, re.MULTILINE)
    assert default == "debian:trixie-slim"
    for stage in stages.values():
        assert stage[0][1].startswith("${BASE_IMAGE} AS ")
    # A `# syntax=` line would make BuildKit pull its frontend from Docker Hub.
    assert not parser.content.startswith("# syntax")


def test_the_project_is_installed_from_the_lock(
    stages: dict[str, list[Instruction]],
) -> None:
    build = stages["build"]
    runs = " ".join(value for name, value in build if name == "RUN")
    assert "pip install --require-hashes -r /tmp/uv.txt" in runs
    assert "tools/uv_pin.py" in runs
    assert runs.count("uv sync --frozen --no-dev") == 2
    # Dependencies first (a layer source edits keep), then both workspace projects.
    assert "--no-install-workspace" in runs
    assert "--no-editable" in runs
    for name, value in build:
        if name == "COPY":
            for source in value.split()[:-1]:
                assert (REPO / source).exists(), source
    # uv and pip stay in the build stage: the images copy only the project's venv.
    for target in ("gateway", "worker"):
        copies = [value for name, value in stages[target] if name == "COPY" and "--from" in value]
        assert copies == ["--from=build /opt/crucible /opt/crucible"], target


def test_the_gateway_runs_unprivileged(stages: dict[str, list[Instruction]]) -> None:
    gateway = stages["gateway"]
    uid = last(gateway, "USER").split(":")[0]
    assert uid.isdigit() and int(uid) != 0
    command = json.loads(last(gateway, "ENTRYPOINT")) + json.loads(last(gateway, "CMD"))
    assert command == ["crucible", "gateway"]
    assert ("EXPOSE", "8000") in gateway


def test_the_worker_has_nsjail_and_the_programs_runtime(
    stages: dict[str, list[Instruction]],
) -> None:
    worker = stages["worker"]
    (install,) = [value for name, value in worker if name == "RUN" and "apt-get" in value]
    packages = set(
        re.findall(r"\s([a-z0-9][a-z0-9.+-]+)(?=\s|$)", install.split("--no-install-recommends")[1])
    )
    assert packages >= WORKER_PACKAGES | {"tini", "mount", "util-linux"}
    assert "rm -rf /var/lib/apt/lists/*" in install
    entrypoint = json.loads(last(worker, "ENTRYPOINT"))
    assert entrypoint[:2] == ["/usr/bin/tini", "--"]
    assert json.loads(last(worker, "CMD")) == ["crucible", "worker"]
    assert any(ENTRYPOINT.relative_to(REPO).as_posix() in v for n, v in worker if n == "COPY")
    assert "CRUCIBLE_PYTHON_PATH=/usr/bin/python3" in last(worker, "ENV")


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert {".git", ".venv", "secrets", "deploy/k8s/overlays/prod/secrets"} <= set(ignored)


def test_redis_is_debians_as_uid_999(stages: dict[str, list[Instruction]]) -> None:
    redis = stages["redis"]
    (install,) = [value for name, value in redis if name == "RUN" and "apt-get" in value]
    assert "redis-server" in install and "--uid 999" in install
    assert last(redis, "USER") == "999:999"
