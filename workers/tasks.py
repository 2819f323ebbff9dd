"""The rq consumer side of the job contract: `workers.tasks.grade` and `workers.tasks.run`.

The gateway enqueues these by dotted name with one argument, the QueuedJob as JSON.  Each
worker process installs its JobRunner (one Judge per process) before it starts working.
"""

from __future__ import annotations

from server.contract import QueuedJob
from workers.queue.runner import JobRunner

_runner: JobRunner | None = None


def install(runner: JobRunner) -> None:
    global _runner  # noqa: PLW0603 - one runner per process, set once at start
    _runner = runner


def grade(payload: str) -> None:
    _installed().execute(QueuedJob.model_validate_json(payload))


def run(payload: str) -> None:
    _installed().execute(QueuedJob.model_validate_json(payload))


def _installed() -> JobRunner:
    if _runner is None:
        raise RuntimeError("no JobRunner installed: start workers with `crucible worker`")
    return _runner
