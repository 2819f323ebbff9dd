"""The gateway's one owner of Prometheus (one process, the default registry).

Labels come only from closed sets: routes, outcomes, error codes.  Queue depth, the oldest
queued job's age and live workers are read from Redis when /metrics is scraped.
"""

from __future__ import annotations

from typing import Literal

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from service.errors import ERROR_CODES

Route = Literal["submission", "batch", "run_code"]
Outcome = Literal["cached", "enqueued", "joined"]

SUBMISSIONS = Counter(
    "crucible_submissions_total",
    "Submissions received: answered from cache, enqueued, or joined to an identical job.",
    ["route", "outcome"],
)
CACHE_HITS = Counter("crucible_cache_hits_total", "Submissions answered from the result cache.")
QUEUE_DEPTH = Gauge("crucible_queue_depth", "Jobs waiting in the queue.")
QUEUE_OLDEST = Gauge("crucible_queue_oldest_seconds", "How long the oldest queued job has waited.")
WORKERS_LIVE = Gauge("crucible_workers_live", "Worker processes with a recent heartbeat.")
ERRORS = Counter("crucible_http_errors_total", "Error responses by code.", ["code"])
INFRA_ERRORS = Counter(
    "crucible_infra_errors_total", "Faults on our side seen by the gateway.", ["code"]
)
REQUEST_SECONDS = Histogram(
    "crucible_request_seconds",
    "Gateway time per request, waiting included.",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 120, 300),
)
ROUTES = frozenset(
    {
        "/v1/submissions",
        "/v1/submissions/{key}",
        "/v1/batches",
        "/v1/batches/{batch_id}",
        "/v1/testsets/{sha256}",
        "/run_code",
    }
)

for _code in ERROR_CODES:  # every series exists from the start, at zero
    ERRORS.labels(_code)


def count_submissions(route: Route, *, cached: int, enqueued: int, joined: int) -> None:
    for outcome, n in (("cached", cached), ("enqueued", enqueued), ("joined", joined)):
        if n:
            SUBMISSIONS.labels(route, outcome).inc(n)
    if cached:
        CACHE_HITS.inc(cached)


def error(code: str) -> None:
    ERRORS.labels(code if code in ERROR_CODES else "internal_error").inc()
    if code in ("redis_unavailable", "internal_error"):
        INFRA_ERRORS.labels(code).inc()


def observe_request(route: str, seconds: float) -> None:
    if route in ROUTES:
        REQUEST_SECONDS.labels(route).observe(seconds)


def exposition() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST
