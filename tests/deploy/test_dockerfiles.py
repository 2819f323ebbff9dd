"""The images: hadolint (with ShellCheck on every RUN) finds nothing, ShellCheck passes the
entrypoint and VM scripts, and each image's stage says what the deployment relies on.
No image is built here (no Docker engine); these checks are what can be proven without one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.deploy.conftest import DEPLOY, REPO, run, tool

DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
ENTRYPOINT = DEPLOY / "docker" / "worker-entrypoint.sh"
# The jailed programs' runtime and nsjail's library, from Debian (README, "Set up").
WORKER_PACKAGES = {
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
    "script", [ENTRYPOINT, *sorted((REPO / "tests" / "deploy" / "vm").glob("*.sh"))]
)
def test_shell_scripts_pass_shellcheck(script: Path) -> None:
    result = run([tool("shellcheck"), "--severity=style", str(script)])
    assert result.returncode == 0, result.stdout


def test_images_are_built_on_python_312_or_later_on_debian(
    stages: dict[str, list[Instruction]],
) -> None:
    assert set(stages) == {"build", "gateway", "worker"}
    parser = DockerfileParser(path=str(DOCKERFILE))
    (default,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", parser.content, re.MULTILINE)
    match = re.fullmatch(r"python:3\.(\d+)-slim-(bookworm|trixie)", default)
    assert match and int(match[1]) >= 12, default
    for stage in stages.values():
        assert stage[0][1].startswith("${PYTHON_IMAGE} AS ")


def test_the_project_is_installed_with_the_server_extra(
    stages: dict[str, list[Instruction]],
) -> None:
    build = stages["build"]
    assert any('pip install ".[server]"' in value for name, value in build if name == "RUN")
    for name, value in build:
        if name == "COPY":
            for source in value.split()[:-1]:
                assert (REPO / source).exists(), source


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
