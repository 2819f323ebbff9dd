"""The Grafana dashboard and the alert rules: well-formed, every query parses as PromQL, every
Crucible metric they use is one the gateway or the workers define, and the docs name only
real metrics."""

from __future__ import annotations

import json
import re
from typing import Any

import promql_parser
import pytest

from tests.deploy.conftest import DEPLOY, REPO, load_yaml

DASHBOARD = DEPLOY / "grafana" / "dashboards" / "crucible.json"
METRIC = re.compile(r"\bcrucible_[a-z_]+")
HISTOGRAM_SUFFIX = re.compile(r"_(bucket|sum|count)$")
METRIC_IN_CODE = re.compile(r"`(crucible_[a-z_]+)")
GRADER_SYMBOL = re.compile(r"crucible_[a-z_]+")
# Grafana's variables, replaced by what Grafana would put there.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$__interval": "1m"}
TOPICS = ("jobs finished", "queue depth", "latency", "verdict", "cache", "error")


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return data


def queries(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def alert_expressions() -> list[str]:
    rules = load_yaml(DEPLOY / "prometheus" / "alerts.yml")
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def defined_metrics() -> set[str]:
    """Every metric name the gateway's and the workers' Prometheus owners declare."""
    sources = [REPO / "service" / "metrics.py", REPO / "workers" / "queue" / "metrics.py"]
    return {
        name for path in sources for name in re.findall(r'"(crucible_[a-z_]+)"', path.read_text())
    }


# The hand-written pages (docs/api.md lists the gateway's and the workers' metrics); the
# generated reports are left out.
GENERATED_DOCS = ("benchmarks.md", "reliability.md", "settings.md")


def documented_metrics(*pages: str) -> set[str]:
    """The metric names the given pages (default: every hand-written page) write as code."""
    paths = [REPO / page for page in pages] or [
        REPO / "README.md",
        *(p for p in (REPO / "docs").glob("*.md") if p.name not in GENERATED_DOCS),
    ]
    return {name for path in paths for name in METRIC_IN_CODE.findall(path.read_text())}


def test_panels_are_laid_out_on_the_grid(dashboard: dict[str, Any]) -> None:
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24 and grid["h"] > 0


def test_every_panel_uses_the_datasource_variable(dashboard: dict[str, Any]) -> None:
    (variable,) = dashboard["templating"]["list"]
    assert variable["type"] == "datasource" and variable["query"] == "prometheus"
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]


def test_the_dashboard_covers_what_operators_watch(dashboard: dict[str, Any]) -> None:
    titles = " | ".join(p["title"].lower() for p in dashboard["panels"])
    for topic in TOPICS:
        assert topic in titles, topic
    assert any("histogram_quantile(0.99" in q for q in queries(dashboard))


@pytest.mark.parametrize("source", ["dashboard", "alerts"])
def test_every_query_parses(dashboard: dict[str, Any], source: str) -> None:
    exprs = queries(dashboard) if source == "dashboard" else alert_expressions()
    assert exprs
    for expr in exprs:
        query = expr
        for variable, value in GRAFANA_VARIABLES.items():
            query = query.replace(variable, value)
        promql_parser.parse(query)  # raises ValueError on a syntax error


def test_the_parser_rejects_broken_queries() -> None:
    with pytest.raises(ValueError):
        promql_parser.parse("sum(rate(crucible_jobs_total[5m])")


def test_every_metric_used_is_one_the_services_define(dashboard: dict[str, Any]) -> None:
    defined = defined_metrics()
    assert len(defined) >= 10
    used = {
        HISTOGRAM_SUFFIX.sub("", name)
        for expr in queries(dashboard) + alert_expressions()
        for name in METRIC.findall(expr)
    }
    assert used <= defined, f"not defined by service/ or workers/: {used - defined}"


def grader_symbols() -> set[str]:
    """The `crucible_` names of the in-jail C code (the IOI grader's runtime: its header's
    functions and sections, its build script's file; the launcher library's function),
    which the docs name in code and are no metrics."""
    judge = REPO / "workers" / "judge"
    sources = [judge / "inside" / "crucible_grader.h", judge / "inside" / "grader_link.py"]
    sources += [judge / "graders.py", judge / "inside" / "launch.c"]
    return {name for path in sources for name in GRADER_SYMBOL.findall(path.read_text())}


def test_the_docs_document_real_metrics() -> None:
    assert documented_metrics("docs/api.md"), "docs/api.md lists no metrics"
    documented = documented_metrics() - grader_symbols()
    assert documented <= defined_metrics(), documented - defined_metrics()
