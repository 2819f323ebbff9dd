"""The functions the queue names: `workers.tasks.grade` and `workers.tasks.run`.

The gateway enqueues these by dotted name (server/contract.py) with one argument, the
QueuedJob as JSON.  The names are on the wire between gateway and workers, so this module
stays where they say while the code behind it moves.  Each worker process installs its
JobRunner (one Judge per process) before it starts working.
"""

from __future__ import annotations

from server.contract import QueuedJob
from workers.queue.runner import JobRunner

_runner: JobRunner | None = None


def install(runner: JobRunner) -> None:
    global _runner  # noqa: PLW0603 - one runner per process, set once at start
    _runner = runner


def grade(payload: str) -> None:
    """Execute one queued job.  The job says what it holds (a submission to grade or a
    program to run), so one body serves both names the queue uses."""
    _installed().execute(QueuedJob.model_validate_json(payload))


# /run_code's jobs go by their own name on the wire (server.contract.RUN_TASK): rq's
# registries and failure records then tell the two kinds apart.
run = grade


def _installed() -> JobRunner:
    if _runner is None:
        raise RuntimeError("no JobRunner installed: start workers with `crucible worker`")
    return _runner
