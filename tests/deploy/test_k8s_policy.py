"""What the rendered Kubernetes manifests must say beyond their schemas: the worker's exact
privileges, least privilege everywhere else, references that resolve, autoscaling on RQ's
queue, network isolation, graceful shutdown and the overlays' differences."""

from __future__ import annotations

from typing import Any

import pytest

from crucible.schema import Limits
from tests.deploy.conftest import (
    DEPLOY,
    Doc,
    find,
    load_yaml,
    matches,
    one,
    pod_templates,
)
from workers.judge.settings import JudgeSettings

OVERLAYS = ["dev", "prod", "external-redis"]
WORKER_CAPABILITIES = {"SETUID", "SETGID", "SYS_ADMIN", "SETPCAP"}
RQ_QUEUE = "rq:queue:crucible"


@pytest.fixture(params=OVERLAYS)
def docs(request: pytest.FixtureRequest, rendered: dict[str, list[Doc]]) -> list[Doc]:
    return rendered[request.param]


def containers(template: Doc) -> list[Doc]:
    spec = template["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def component(template: Doc) -> str:
    return str(template["metadata"]["labels"]["app.kubernetes.io/component"])


def test_the_worker_holds_exactly_what_nsjail_needs(docs: list[Doc]) -> None:
    worker = one(docs, "Deployment", "crucible-worker")["spec"]["template"]
    pod = worker["spec"]
    assert not any(pod.get(k) for k in ("hostPID", "hostIPC", "hostNetwork", "hostUsers"))
    assert not any("hostPath" in volume for volume in pod["volumes"])
    (container,) = pod["containers"]
    context = container["securityContext"]
    assert context["privileged"] is False
    assert context["runAsUser"] == 0
    assert context["capabilities"]["drop"] == ["ALL"]
    assert set(context["capabilities"]["add"]) == WORKER_CAPABILITIES
    assert context["seccompProfile"] == {"type": "Unconfined"}
    assert context["appArmorProfile"] == {"type": "Unconfined"}
    assert context["readOnlyRootFilesystem"] is True
    assert "procMount" not in context  # nsjail mounts no /proc in the jail


def test_every_other_pod_meets_the_restricted_pod_security_standard(docs: list[Doc]) -> None:
    others = [(w, t) for w, t in pod_templates(docs) if component(t) != "worker"]
    assert {component(t) for _, t in others} >= {"gateway"}
    for workload, template in others:
        pod = template["spec"]
        name = workload["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in containers(template):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            assert context["readOnlyRootFilesystem"] is True, name


def test_no_container_asks_for_what_the_api_server_refuses(docs: list[Doc]) -> None:
    # The API rejects allowPrivilegeEscalation=false together with privileged or SYS_ADMIN.
    for _, template in pod_templates(docs):
        for container in containers(template):
            context = container.get("securityContext", {})
            if context.get("allowPrivilegeEscalation") is False:
                assert not context.get("privileged")
                assert "SYS_ADMIN" not in context.get("capabilities", {}).get("add", [])


def test_every_container_has_resources_probes_and_a_pinned_image(docs: list[Doc]) -> None:
    for workload, template in pod_templates(docs):
        for container in containers(template):
            where = f"{workload['metadata']['name']}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert "memory" in resources["limits"], where
            assert "livenessProbe" in container and "startupProbe" in container, where
            image = container["image"]
            assert ":" in image and not image.endswith(":latest"), where


def test_workers_have_guaranteed_resources_and_one_process_per_core(docs: list[Doc]) -> None:
    (container,) = one(docs, "Deployment", "crucible-worker")["spec"]["template"]["spec"][
        "containers"
    ]
    assert container["resources"]["requests"] == container["resources"]["limits"]
    env = {e["name"]: e for e in container["env"]}
    field = env["CRUCIBLE_WORKER_PROCESSES"]["valueFrom"]["resourceFieldRef"]
    assert field == {"resource": "requests.cpu", "divisor": "1"}


def env_of(docs: list[Doc], deployment: str) -> dict[str, Any]:
    (container,) = one(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def test_shutdown_lets_workers_finish_their_jobs(docs: list[Doc]) -> None:
    worker = one(docs, "Deployment", "crucible-worker")["spec"]["template"]["spec"]
    grace = float(env_of(docs, "crucible-worker")["CRUCIBLE_SHUTDOWN_GRACE_S"])
    assert grace >= Limits().total_time_s  # a default-sized submission always finishes
    assert worker["terminationGracePeriodSeconds"] >= grace + 15  # then the kubelet's SIGKILL
    gateway = one(docs, "Deployment", "crucible-gateway")["spec"]["template"]["spec"]
    assert gateway["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"


def test_worker_memory_holds_every_process_largest_jail(docs: list[Doc]) -> None:
    (container,) = one(docs, "Deployment", "crucible-worker")["spec"]["template"]["spec"][
        "containers"
    ]
    limits = container["resources"]["limits"]
    processes = int(limits["cpu"])
    largest_mib = int(env_of(docs, "crucible-gateway")["CRUCIBLE_MAX_MEMORY_MB"])
    harness_mib = JudgeSettings().harness_memory_mb
    memory = limits["memory"]
    assert memory.endswith("Gi")
    assert int(memory[:-2]) * 1024 >= processes * (largest_mib + harness_mib) + 1024


def test_the_image_entrypoint_runs_for_the_worker(docs: list[Doc]) -> None:
    # `args`, not `command`: the image's entrypoint makes the cgroup writable first.
    (container,) = one(docs, "Deployment", "crucible-worker")["spec"]["template"]["spec"][
        "containers"
    ]
    assert "command" not in container
    assert container["args"] == ["crucible", "worker"]


def test_services_and_budgets_select_real_pods(docs: list[Doc]) -> None:
    templates = [t for _, t in pod_templates(docs)]
    for service in find(docs, "Service"):
        if service["spec"].get("type") == "ExternalName":
            continue
        selector = service["spec"]["selector"]
        selected = [t for t in templates if matches(selector, t["metadata"]["labels"])]
        assert selected, service["metadata"]["name"]
        ports = {p["name"] for t in selected for c in containers(t) for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, service["metadata"]["name"]
    for budget in find(docs, "PodDisruptionBudget"):
        selector = budget["spec"]["selector"]["matchLabels"]
        assert any(matches(selector, t["metadata"]["labels"]) for t in templates)


def test_referenced_secrets_and_config_maps_exist_with_their_keys(docs: list[Doc]) -> None:
    secrets = {s["metadata"]["name"]: set(s["data"]) for s in find(docs, "Secret")}
    configs = {c["metadata"]["name"] for c in find(docs, "ConfigMap")}
    for _, template in pod_templates(docs):
        for volume in template["spec"].get("volumes", []):
            if "secret" in volume:
                keys = {item["key"] for item in volume["secret"]["items"]}
                assert keys <= secrets[volume["secret"]["secretName"]]
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configs
        for container in containers(template):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in secrets[ref["name"]]
    for auth in find(docs, "TriggerAuthentication"):
        for ref in auth["spec"]["secretTargetRef"]:
            assert ref["key"] in secrets[ref["name"]]


def test_workloads_reach_redis_through_its_service(docs: list[Doc]) -> None:
    services = {s["metadata"]["name"] for s in find(docs, "Service")}
    for name in ("crucible-gateway", "crucible-worker"):
        (container,) = one(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"]
        url = {e["name"]: e.get("value") for e in container["env"]}["CRUCIBLE_REDIS_URL"]
        assert url.startswith("redis://") and "@" not in url  # the password is a secret file
        assert url.removeprefix("redis://").split(":")[0] in services


def test_keda_scales_the_workers_on_the_rq_queue(docs: list[Doc]) -> None:
    (scaled,) = find(docs, "ScaledObject")
    worker = one(docs, "Deployment", "crucible-worker")
    assert scaled["spec"]["scaleTargetRef"]["name"] == worker["metadata"]["name"]
    assert "replicas" not in worker["spec"]  # KEDA owns the count
    assert 1 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"]
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "redis"
    assert trigger["metadata"]["listName"] == RQ_QUEUE
    assert int(trigger["metadata"]["listLength"]) >= 1
    host = trigger["metadata"]["address"].split(":")[0]
    namespace = worker["metadata"]["namespace"]
    assert host == f"crucible-redis.{namespace}.svc.cluster.local"
    auth = one(docs, "TriggerAuthentication", trigger["authenticationRef"]["name"])
    assert auth["spec"]["secretTargetRef"][0]["parameter"] == "password"


def test_the_gateway_scales_on_cpu(docs: list[Doc]) -> None:
    (hpa,) = find(docs, "HorizontalPodAutoscaler")
    gateway = one(docs, "Deployment", hpa["spec"]["scaleTargetRef"]["name"])
    assert "replicas" not in gateway["spec"]
    assert gateway["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"]


def test_everything_lives_in_one_namespace_with_its_pod_security_labels(docs: list[Doc]) -> None:
    namespace = one(docs, "Namespace", "crucible")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "crucible", doc["metadata"]["name"]


def egress_of(docs: list[Doc], labels: dict[str, str]) -> list[dict[str, Any]]:
    policies = [
        p
        for p in find(docs, "NetworkPolicy")
        if policy_selects(p["spec"]["podSelector"], labels) and "Egress" in p["spec"]["policyTypes"]
    ]
    return [rule for p in policies for rule in p["spec"].get("egress", [])]


def policy_selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not matches(selector.get("matchLabels", {}), labels):
        return False
    return all(labels.get(e["key"]) in e["values"] for e in selector.get("matchExpressions", []))


def test_everything_is_denied_unless_allowed(docs: list[Doc]) -> None:
    deny = one(docs, "NetworkPolicy", "default-deny")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_workers_reach_redis_and_dns_only(rendered: dict[str, list[Doc]]) -> None:
    docs = rendered["prod"]
    labels = one(docs, "Deployment", "crucible-worker")["spec"]["template"]["metadata"]["labels"]
    redis = {"app.kubernetes.io/name": "crucible", "app.kubernetes.io/component": "redis"}
    for rule in egress_of(docs, labels):
        ports = {(p["protocol"], p["port"]) for p in rule["ports"]}
        (peer,) = rule["to"]
        if ports == {("TCP", 6379)}:
            assert peer == {"podSelector": {"matchLabels": redis}}
        else:
            assert ports == {("UDP", 53), ("TCP", 53)}
            assert peer["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
            assert peer["namespaceSelector"]["matchLabels"] == {
                "kubernetes.io/metadata.name": "kube-system"
            }


def test_redis_accepts_only_gateway_workers_and_keda(rendered: dict[str, list[Doc]]) -> None:
    policy = one(rendered["prod"], "NetworkPolicy", "crucible-redis")["spec"]
    assert policy["egress"] == []
    (rule,) = policy["ingress"]
    peers = [
        p.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
        or p["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for p in rule["from"]
    ]
    assert sorted(peers) == ["gateway", "keda", "worker"]


def test_service_monitors_scrape_existing_ports(rendered: dict[str, list[Doc]]) -> None:
    docs = rendered["prod"]
    monitors = find(docs, "ServiceMonitor")
    assert {m["metadata"]["name"] for m in monitors} == {"crucible-gateway", "crucible-worker"}
    for monitor in monitors:
        selector = monitor["spec"]["selector"]["matchLabels"]
        services = [s for s in find(docs, "Service") if matches(selector, s["metadata"]["labels"])]
        assert len(services) == 1
        names = {p["name"] for p in services[0]["spec"]["ports"]}
        assert {e["port"] for e in monitor["spec"]["endpoints"]} <= names
        # Prometheus names the job after the Service: the dashboard and alerts rely on it.
        assert services[0]["metadata"]["name"] == monitor["metadata"]["name"]


def test_kubernetes_and_compose_share_one_set_of_alerts(rendered: dict[str, list[Doc]]) -> None:
    rule = one(rendered["prod"], "PrometheusRule", "crucible")
    assert rule["spec"] == load_yaml(DEPLOY / "prometheus" / "alerts.yml")


def test_the_dashboard_config_map_is_the_provisioned_file(rendered: dict[str, list[Doc]]) -> None:
    config = one(rendered["prod"], "ConfigMap", "crucible-grafana-dashboard")
    assert config["metadata"]["labels"]["grafana_dashboard"] == "1"
    file = DEPLOY / "grafana" / "dashboards" / "crucible.json"
    assert config["data"]["crucible.json"] == file.read_text()


def test_overlays_differ_where_they_should(rendered: dict[str, list[Doc]]) -> None:
    dev, prod = rendered["dev"], rendered["prod"]
    assert not find(dev, "ServiceMonitor")  # dev clusters need no Prometheus Operator
    for name in ("crucible-gateway", "crucible-worker"):
        (container,) = one(prod, "Deployment", name)["spec"]["template"]["spec"]["containers"]
        registry, _, tag = container["image"].rpartition(":")
        assert "/" in registry and tag not in ("dev", "latest")
    assert (
        one(prod, "ScaledObject", "crucible-worker")["spec"]["maxReplicaCount"]
        > one(dev, "ScaledObject", "crucible-worker")["spec"]["maxReplicaCount"]
    )
    # Prod's password comes from a file, never a literal in the repository.
    prod_secret = (DEPLOY / "k8s" / "overlays" / "prod" / "kustomization.yaml").read_text()
    assert "literals" not in prod_secret


def test_external_redis_replaces_the_stateful_set_with_an_alias(
    rendered: dict[str, list[Doc]],
) -> None:
    docs = rendered["external-redis"]
    assert not find(docs, "StatefulSet")
    assert not find(docs, "ConfigMap", "crucible-redis-config")
    service = one(docs, "Service", "crucible-redis")["spec"]
    assert service["type"] == "ExternalName"
    assert "selector" not in service and "clusterIP" not in service
