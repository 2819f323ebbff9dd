"""The workers' one owner of Prometheus.  Worker processes write multiprocess files (the
supervisor sets PROMETHEUS_MULTIPROC_DIR for them) and the supervisor serves their sum on
--metrics-port.  Labels come only from closed enums: language, verdict, status, error code.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, start_http_server

from workers.judge.errors import JudgeError

log = logging.getLogger(__name__)
# A registry of the workers' own: in multiprocess mode values go to files whatever the
# registry, and the gateway's metrics (some of the same names) can share a process in tests.
REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


def _judge_codes(base: type[JudgeError] = JudgeError) -> set[str]:
    codes = {base.code}
    for sub in base.__subclasses__():
        codes |= _judge_codes(sub)
    return codes


# Error codes a worker can record: every judge fault's, and the queue's own; anything else is
# counted as "other".
INFRA_CODES = frozenset({*_judge_codes(), "worker_lost", "internal_error", "redis_unavailable"})

GRADE_SECONDS = Histogram(
    "crucible_grade_seconds",
    "Time to grade one submission (or run one program) in its jail.",
    ["language", "task"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
QUEUE_WAIT_SECONDS = Histogram(
    "crucible_queue_wait_seconds",
    "Time from enqueue to a worker starting the job.",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
VERDICTS = Counter(
    "crucible_verdicts_total", "Graded submissions by verdict.", ["verdict"], registry=REGISTRY
)
RESULTS = Counter(
    "crucible_results_total", "Stored results by status.", ["status"], registry=REGISTRY
)
INFRA_ERRORS = Counter(
    "crucible_infra_errors_total", "Faults on our side, by error code.", ["code"], registry=REGISTRY
)
REQUEUED = Counter(
    "crucible_jobs_requeued_total", "Jobs the reaper put back.", ["reason"], registry=REGISTRY
)


def infra_error(code: str) -> None:
    INFRA_ERRORS.labels(code if code in INFRA_CODES else "other").inc()


def serve(port: int, directory: Path) -> None:
    """Serve the sum of every worker process's metrics from `directory` on `port`."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    start_http_server(port, registry=registry)


def forget_process(pid: int, directory: Path) -> None:
    with contextlib.suppress(OSError):
        multiprocess.mark_process_dead(pid, path=str(directory))  # type: ignore[no-untyped-call]
