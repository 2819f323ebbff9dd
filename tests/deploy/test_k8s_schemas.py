"""Every rendered manifest validates: built-in kinds against the Kubernetes OpenAPI schemas
(kubernetes-validate, strict: unknown fields fail), KEDA and Prometheus Operator resources
against models generated from their CRDs (cloudcoil), with unknown fields failing too."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
from cloudcoil.models.keda import v1alpha1 as keda
from cloudcoil.models.prometheus_operator import v1 as prometheus_operator
from pydantic import BaseModel

from tests.deploy.conftest import Doc

# The oldest Kubernetes these manifests support (securityContext.appArmorProfile is 1.30),
# and the newest whose schemas kubernetes-validate ships.
OLDEST = "1.30.0"
CUSTOM: dict[str, type[BaseModel]] = {
    "ScaledObject": keda.ScaledObject,
    "TriggerAuthentication": keda.TriggerAuthentication,
    "ServiceMonitor": prometheus_operator.ServiceMonitor,
    "PrometheusRule": prometheus_operator.PrometheusRule,
}


def dropped(given: Any, kept: Any, path: str = "") -> list[str]:
    """Paths present in `given` but not in `kept`: fields the model did not know."""
    if isinstance(given, dict):
        if not isinstance(kept, dict):
            return [path or "/"]
        return [
            lost
            for key, value in given.items()
            for lost in (
                [f"{path}/{key}"] if key not in kept else dropped(value, kept[key], f"{path}/{key}")
            )
        ]
    if isinstance(given, list):
        if not isinstance(kept, list) or len(kept) != len(given):
            return [path]
        return [
            lost for i, item in enumerate(given) for lost in dropped(item, kept[i], f"{path}/{i}")
        ]
    return []


def validate_custom(doc: Doc) -> None:
    model = CUSTOM[doc["kind"]].model_validate(doc)
    kept = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert not dropped(doc, kept), f"{doc['kind']}: unknown fields {dropped(doc, kept)}"


@pytest.mark.parametrize("version", [OLDEST, kubernetes_validate.latest_version()])
@pytest.mark.parametrize("overlay", ["dev", "prod", "external-redis"])
def test_builtin_kinds_validate_strictly(
    rendered: dict[str, list[Doc]], overlay: str, version: str
) -> None:
    docs = [d for d in rendered[overlay] if d["kind"] not in CUSTOM]
    assert docs
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} on {version}: {exc.message}")


@pytest.mark.parametrize("overlay", ["dev", "prod", "external-redis"])
def test_custom_resources_validate_against_their_crds(
    rendered: dict[str, list[Doc]], overlay: str
) -> None:
    docs = [d for d in rendered[overlay] if d["kind"] in CUSTOM]
    assert {"ScaledObject", "TriggerAuthentication"} <= {d["kind"] for d in docs}
    for doc in docs:
        validate_custom(doc)


def test_the_crd_check_catches_a_misspelled_field() -> None:
    doc = {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": "x"},
        "spec": {"scaleTargetRef": {"name": "w"}, "maxReplicas": 3, "triggers": []},
    }
    with pytest.raises(AssertionError, match="maxReplicas"):
        validate_custom(doc)


def test_the_schema_check_catches_a_misspelled_field() -> None:
    doc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "x"},
        "spec": {"selectr": {"a": "b"}, "ports": [{"port": 1}]},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, OLDEST, strict=True)
