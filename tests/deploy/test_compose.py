"""docker-compose.yml validates against the Compose specification (compose-spec, a strict
implementation of it: unknown keys and undefined references fail), and says what the
deployment needs: a scalable, least-privilege worker, health checks, Prometheus scraping
every replica, Grafana provisioned, and the same privileges as the Kubernetes worker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from compose_spec import PyCompose

from tests.deploy.conftest import DEPLOY, REPO, Doc, load_yaml, one
from tests.deploy.test_k8s_policy import WORKER_CAPABILITIES

COMPOSE = REPO / "docker-compose.yml"
VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?::?-([^}]*))?\}")


def interpolated(text: str) -> str:
    """The file as `docker compose` reads it with no variables set: defaults, `$$` -> `$`."""
    return VARIABLE.sub(lambda m: "$" if m[0] == "$$" else (m[2] or ""), text)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(interpolated(COMPOSE.read_text()))
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"]
    return found


def test_compose_file_validates_against_the_specification() -> None:
    PyCompose.from_yaml(interpolated(COMPOSE.read_text())).validate()


def test_the_validator_rejects_what_compose_would() -> None:
    text = interpolated(COMPOSE.read_text())
    with pytest.raises(ValueError, match="stop_grace_periood"):
        PyCompose.from_yaml(text.replace("stop_grace_period:", "stop_grace_periood:")).validate()
    with pytest.raises(ValueError, match="not defined"):
        PyCompose.from_yaml(text.replace("secrets: [redis_password]", "secrets: [nope]")).validate()


def test_every_service_has_a_health_check(services: dict[str, Any]) -> None:
    assert set(services) == {"redis", "gateway", "worker", "prometheus", "grafana"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], name


def test_docker_compose_1_29_can_read_it(compose: dict[str, Any]) -> None:
    # Debian 12's docker-compose (1.29) rejects the top-level `name:`; `-p` names the project.
    assert set(compose) == {"services", "networks", "volumes", "secrets"}


def test_the_default_up_needs_no_registry_image(services: dict[str, Any]) -> None:
    # Prometheus and Grafana come from a registry: only with `--profile monitoring`.
    for name, service in services.items():
        if "build" in service:
            assert service["build"]["dockerfile"] == "deploy/docker/Dockerfile", name
            assert service["build"]["args"]["BASE_IMAGE"] == "debian:trixie-slim", name
            assert "profiles" not in service, name
        else:
            assert service["profiles"] == ["monitoring"], name
    assert {n for n, s in services.items() if "build" in s} == {"redis", "gateway", "worker"}


def test_workers_scale_with_the_scale_flag(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["build"]["target"] == "worker"


def test_the_worker_holds_what_the_kubernetes_worker_holds(
    services: dict[str, Any], rendered: dict[str, list[Doc]]
) -> None:
    worker = services["worker"]
    assert worker["cap_drop"] == ["ALL"]
    assert set(worker["cap_add"]) == WORKER_CAPABILITIES
    assert sorted(worker["security_opt"]) == ["apparmor=unconfined", "seccomp=unconfined"]
    # docker-compose 1.29 rejects `cgroup:`; the entrypoint refuses the host's v2 namespace.
    assert "cgroup" not in worker
    assert "privileged" not in worker and "pid" not in worker
    assert worker["read_only"] is True
    (container,) = one(rendered["prod"], "Deployment", "crucible-worker")["spec"]["template"][
        "spec"
    ]["containers"]
    assert set(container["securityContext"]["capabilities"]["add"]) == set(worker["cap_add"])


def test_other_services_hold_no_capabilities(services: dict[str, Any]) -> None:
    for name in ("redis", "gateway", "prometheus", "grafana"):
        assert services[name]["cap_drop"] == ["ALL"], name
        assert "cap_add" not in services[name], name
        assert services[name]["security_opt"] == ["no-new-privileges:true"], name


def test_workers_stop_gracefully_after_their_jobs(services: dict[str, Any]) -> None:
    from crucible.schema import Limits

    worker = services["worker"]
    grace = float(worker["environment"]["CRUCIBLE_SHUTDOWN_GRACE_S"])
    assert grace >= Limits().total_time_s
    minutes, seconds = re.fullmatch(r"(\d+)m(\d+)s", worker["stop_grace_period"]).groups()
    assert int(minutes) * 60 + int(seconds) >= grace + 15


def test_workers_reach_only_the_internal_network(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    assert services["worker"]["networks"] == ["queue"]
    assert compose["networks"]["queue"]["internal"] is True
    assert set(services["redis"]["networks"]) == {"queue"}


def test_published_ports_listen_on_loopback_by_default(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), name


def test_mounted_files_exist_and_secrets_stay_out_of_git(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name}: {source}"
    ignored = (REPO / ".gitignore").read_text().splitlines()
    for secret in compose["secrets"].values():
        assert Path(secret["file"]).parts[0] == "secrets"
    assert "/secrets/" in ignored


def test_entrypoints_run_the_local_stack_commands(services: dict[str, Any]) -> None:
    # The images' CMDs (checked in test_dockerfiles) are `crucible gateway` and `crucible
    # worker`; compose must not replace them.
    assert "command" not in services["gateway"] and "entrypoint" not in services["gateway"]
    assert "command" not in services["worker"] and "entrypoint" not in services["worker"]


def test_redis_needs_a_password_and_never_evicts_jobs(services: dict[str, Any]) -> None:
    command = " ".join(services["redis"]["command"])
    assert "requirepass" in command and "/run/secrets/redis_password" in command
    assert "REDISCLI_AUTH" in " ".join(services["redis"]["healthcheck"]["test"])
    conf = (DEPLOY / "redis" / "redis.conf").read_text().splitlines()
    assert "maxmemory-policy noeviction" in conf and "appendonly yes" in conf
    assert not any(line.startswith("requirepass") for line in conf)


def test_prometheus_scrapes_every_gateway_and_worker_replica(services: dict[str, Any]) -> None:
    config = load_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for job, service, port in (
        ("crucible-gateway", "gateway", 8000),
        ("crucible-worker", "worker", 9101),
    ):
        (sd,) = jobs[job]["dns_sd_configs"]
        assert sd["names"] == [service] and sd["port"] == port and sd["type"] == "A"
    mounts = services["prometheus"]["volumes"]
    for rule_file in config["rule_files"]:
        assert any(m.endswith(f":{rule_file}:ro") for m in mounts)


def test_grafana_is_provisioned_with_the_dashboard(services: dict[str, Any]) -> None:
    mounts = {v.split(":")[1]: v.split(":")[0] for v in services["grafana"]["volumes"]}
    provider = load_yaml(DEPLOY / "grafana" / "provisioning" / "dashboards" / "crucible.yml")
    path = provider["providers"][0]["options"]["path"]
    assert (REPO / mounts[path] / "crucible.json").is_file()
    datasource = load_yaml(DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
