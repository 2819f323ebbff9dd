"""`pip install crucible` is the client: the wheel built from crucible/pyproject.toml holds the
trainer client and the wire schema, nothing of the server, and installs and imports in a
clean venv.  Offline: the build backend and the client's dependencies come from the lock."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "crucible"
SERVER_PACKAGES = ("server", "service", "workers", "bench", "sandbox_profiles")


def uv() -> str:
    return str(Path(sys.executable).with_name("uv"))


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(uv(), "build", "--wheel", "--no-build-isolation", "--offline",
        "--python", sys.executable, str(CLIENT), "-o", str(out))  # fmt: skip
    (built,) = out.glob("crucible-*.whl")
    return built


def test_the_wheel_holds_the_client_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    modules = {n for n in names if not n.startswith("crucible-")}
    expected = {
        f"crucible/{p.relative_to(CLIENT).as_posix()}"
        for p in [*CLIENT.glob("*.py"), *CLIENT.glob("integrations/*.py"), CLIENT / "py.typed"]
    }
    assert modules == expected
    assert not [n for n in names if n.split("/")[0] in SERVER_PACKAGES]
    assert "crucible/pyproject.toml" not in names


def test_the_wheel_asks_only_for_the_client_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode())
        # No command line: every `crucible` command belongs to the server.
        assert not [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    required = {
        Requirement(r).name for r in metadata.get_all("Requires-Dist") or [] if "extra" not in r
    }
    assert required == {"httpx", "pydantic", "tqdm"}


def test_no_module_in_the_wheel_imports_the_server(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.endswith(".py"):
                continue
            for node in ast.walk(ast.parse(archive.read(name), name)):
                if isinstance(node, ast.Import):
                    roots = {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    roots = {node.module.split(".")[0]}
                else:
                    continue
                assert not roots & set(SERVER_PACKAGES), f"{name}: imports {roots}"


def test_the_wheel_installs_and_imports_in_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    # The client's locked dependencies (by the lock's own URLs, so from uv's cache), then
    # the wheel itself, with nothing else.
    run(uv(), "sync", "--frozen", "--offline", "--package", "crucible", "--no-install-workspace",
        "--python", str(python), env={"UV_PROJECT_ENVIRONMENT": str(venv)})  # fmt: skip
    run(uv(), "pip", "install", "--offline", "--no-deps", "--python", str(python), str(wheel))
    # -I: the checkout is neither the working folder nor on the path; only the venv counts.
    probe = (
        "import importlib.util as u, crucible, crucible.client, crucible.integrations.verl\n"
        "from crucible import RewardClient, Submission\n"
        "print(crucible.__file__)\n"
        f"print(sorted(n for n in {SERVER_PACKAGES!r} if u.find_spec(n)))\n"
    )
    where, server = run(str(python), "-I", "-c", probe, cwd=tmp_path).splitlines()
    assert Path(where).is_relative_to(venv)
    assert server == "[]"
