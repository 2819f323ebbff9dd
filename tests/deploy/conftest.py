"""Fixtures for the deployment tests: the repository's deploy files, rendered and parsed.

The validators (kubectl's kustomize, hadolint, shellcheck, kubernetes-validate, compose-spec,
the CRD models) come from the `dev` extra; a missing one fails the test, never skips it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
OVERLAYS = ("dev", "prod")
Doc = dict[str, Any]


def tool(name: str) -> str:
    """A validator binary from this interpreter's environment (the dev extra), else PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the dev extra (pip install -e '.[dev]')")
    return found


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, **kwargs)


def render(kustomization: Path) -> list[Doc]:
    result = run([tool("kubectl"), "kustomize", str(kustomization)])
    assert result.returncode == 0, f"kustomize {kustomization}:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def deploy_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """deploy/ copied, with the secret files the prod overlay reads (never committed)."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(DEPLOY, root / "deploy")
    secrets = root / "deploy" / "k8s" / "overlays" / "prod" / "secrets"
    secrets.mkdir(exist_ok=True)
    (secrets / "redis-password").write_text("0123456789abcdef")
    (secrets / "api-tokens").write_text("token-a,token-b")
    return root / "deploy"


@pytest.fixture(scope="session")
def rendered(deploy_copy: Path) -> dict[str, list[Doc]]:
    """Every overlay rendered, plus one with every optional component."""
    out = {name: render(deploy_copy / "k8s" / "overlays" / name) for name in OVERLAYS}
    everything = deploy_copy / "k8s" / "overlays" / "everything"
    everything.mkdir()
    (everything / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "namespace": "crucible",
                "resources": ["../dev"],
                "components": ["../../components/monitoring", "../../components/external-redis"],
            }
        )
    )
    out["external-redis"] = render(everything)
    return out


def find(docs: list[Doc], kind: str, name: str | None = None) -> list[Doc]:
    return [
        d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]


def one(docs: list[Doc], kind: str, name: str) -> Doc:
    found = find(docs, kind, name)
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def pod_templates(docs: list[Doc]) -> list[tuple[Doc, Doc]]:
    """(workload, pod template) for every Deployment and StatefulSet."""
    return [(d, d["spec"]["template"]) for d in docs if d["kind"] in ("Deployment", "StatefulSet")]


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())
