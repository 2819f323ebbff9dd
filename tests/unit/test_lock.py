"""The locks: the pyproject files and uv.lock agree, the venv is exactly the lock, and the TRL and
verl environments' compiled locks pin (with hashes) everything their inputs ask for."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
UV_LOCK = ROOT / "uv.lock"
TRL_IN = ROOT / "tests" / "trl" / "requirements.in"
TRL_LOCK = ROOT / "tests" / "trl" / "requirements.lock"
VERL_IN = ROOT / "tests" / "verl" / "requirements.in"
VERL_LOCK = ROOT / "tests" / "verl" / "requirements.lock"
sys.path.insert(0, str(ROOT / "tools"))
from uv_pin import uv_requirement  # noqa: E402


def uv_binary() -> str:
    found = Path(sys.executable).with_name("uv")
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    assert on_path, "uv is in the dev extra: `make venv` installs it"
    return on_path


def locked_versions() -> dict[str, str]:
    packages = tomllib.loads(UV_LOCK.read_text())["package"]
    return {canonicalize_name(p["name"]): p["version"] for p in packages}


def test_uv_lock_agrees_with_pyproject() -> None:
    # --offline: the check needs no index when the lock satisfies pyproject, and fails when
    # pyproject asks for something the lock does not hold.
    check = subprocess.run(
        [uv_binary(), "lock", "--check", "--offline"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, f"run `make lock`: {check.stderr[-2000:]}"


def test_the_running_venv_is_exactly_the_lock() -> None:
    # What `make venv` syncs; --check changes nothing and fails on any difference.
    check = subprocess.run(
        [uv_binary(), "sync", "--check", "--frozen", "--offline", "--extra", "dev",
         "--python", sys.executable],
        cwd=ROOT,
        check=False,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": sys.prefix},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, f"the venv differs from uv.lock: {check.stderr[-2000:]}"


def test_the_uv_bootstrap_line_is_the_locked_uv_with_its_hashes() -> None:
    line = uv_requirement(UV_LOCK)
    name, *flags = line.split()
    assert name == f"uv=={locked_versions()['uv']}"
    assert flags and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", f) for f in flags)


def parse_compiled(text: str) -> dict[str, tuple[Version, list[str]]]:
    """`name==version` and its hashes, for each requirement in a pip-compiled file."""
    joined = re.sub(r"\\\n\s*", " ", text)
    pins: dict[str, tuple[Version, list[str]]] = {}
    for raw in joined.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        spec, *flags = line.split()
        name, version = spec.split("==")
        hashes = [f.removeprefix("--hash=") for f in flags if f.startswith("--hash=")]
        pins[canonicalize_name(name)] = (Version(version), hashes)
    return pins


def test_the_trl_lock_pins_every_input_with_hashes() -> None:
    pins = parse_compiled(TRL_LOCK.read_text())
    assert all(hashes for _, hashes in pins.values()), "every pin carries its hashes"
    project = tomllib.loads((ROOT / "crucible" / "pyproject.toml").read_text())["project"]
    inputs = [
        *project["dependencies"],
        *project["optional-dependencies"]["trl"],
        *(
            line
            for line in TRL_IN.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ),
    ]
    for text in inputs:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {TRL_LOCK.name}: run `make lock`"
        version, _ = pins[name]
        # A local build (torch's +cpu) satisfies the plain pin it was chosen for.
        assert requirement.specifier.contains(Version(version.public), prereleases=True), (
            f"{TRL_LOCK.name} pins {name}=={version}, but {text!r} is asked for: run `make lock`"
        )


def test_the_verl_lock_pins_exactly_its_inputs_with_hashes() -> None:
    # Installed with --no-deps: only what requirements.in names, each pinned with hashes.
    pins = parse_compiled(VERL_LOCK.read_text())
    assert all(hashes for _, hashes in pins.values()), "every pin carries its hashes"
    inputs = [
        Requirement(line)
        for line in VERL_IN.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {canonicalize_name(r.name) for r in inputs} == set(pins), "run `make lock`"
    for requirement in inputs:
        version, _ = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement} vs {version}"
    assert pins["verl"][0] == Version("0.9.1")


def test_parse_compiled_joins_continued_lines() -> None:
    text = (
        "# header\n--find-links /x\n\nfoo==1.2 \\\n    --hash=sha256:ab \\\n    --hash=sha256:cd\n"
    )
    assert parse_compiled(text) == {"foo": (Version("1.2"), ["sha256:ab", "sha256:cd"])}
