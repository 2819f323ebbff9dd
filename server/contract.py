"""Where gateway and workers meet in Redis: the queue, the key layout and the done channel.

Both sides import this module and never each other.  Every key starts with `crucible:`, so
one Redis database can be inspected (or flushed) by that prefix.  Per content key `k`:

    crucible:testset:{sha256}   a registered test set (JSON), TTL testset_ttl_s
    crucible:job:{k}            the QueuedJob (JSON) while the work is outstanding; its SET NX
                                is the claim that makes identical submissions share one job
    crucible:deadline           ZSET k -> unix time by which k must show progress: claim
                                time + claim_grace_s until the claiming gateway has enqueued
                                k, then enqueue time + queue_grace_s, then a running worker's
                                lease expiry
    crucible:lease:{k}          the worker token grading k now, short TTL, heartbeat-renewed
    crucible:attempts:{k}       how many times a worker started k
    crucible:lasterror:{k}      the last infrastructure error (ErrorBody JSON)
    crucible:result:{k}         RewardResult (JSON) of a grade job, TTL result_ttl_s
    crucible:output:{k}         RunResult (JSON) of a raw run, TTL result_ttl_s
    crucible:batch:{id}         the ordered content keys of one batch (JSON list)
    crucible:workers            ZSET worker id -> last heartbeat (unix time)
    crucible:reaper             lock: one reaper at a time across all workers
    crucible:done               pub/sub channel; a worker publishes k once k's result is stored
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crucible.schema import RunRequest, Submission

QUEUE: Final = "crucible"
PREFIX: Final = "crucible:"
DEADLINES: Final = "crucible:deadline"
WORKERS: Final = "crucible:workers"
REAPER_LOCK: Final = "crucible:reaper"
DONE_CHANNEL: Final = "crucible:done"
# rq keeps nothing of ours: results live under our own keys with our own TTL.
RQ_RESULT_TTL: Final = 0
RQ_FAILURE_TTL: Final = 86400
# A job may run this long beyond its submission's own total time before rq stops it.
JOB_TIMEOUT_MARGIN_S: Final = 120
# A worker counts as live while its last heartbeat is this recent.
WORKER_LIVE_S: Final = 15.0

# The functions the queue names (workers/tasks.py): names on the wire between gateway and
# workers, so they never move with the code behind them.
GRADE_TASK: Final = "workers.tasks.grade"
RUN_TASK: Final = "workers.tasks.run"


class QueuedJob(BaseModel):
    """The one job contract between gateway and workers: a content key and its work.

    A grade job's submission always names its test set by hash (`testset`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[0-9a-f]{64}$")
    task: Literal["workers.tasks.grade", "workers.tasks.run"]
    timeout_s: int = Field(gt=0, description="rq job timeout: above the submission's own limits.")
    submission: Submission | None = None
    run: RunRequest | None = None

    @model_validator(mode="after")
    def _one_kind_of_work(self) -> QueuedJob:
        wants = self.submission if self.task == GRADE_TASK else self.run
        other = self.run if self.task == GRADE_TASK else self.submission
        if wants is None or other is not None:
            raise ValueError(f"a {self.task} job carries exactly its own kind of work")
        if self.submission is not None and self.submission.testset is None:
            raise ValueError("a queued submission names its test set by hash")
        return self


def testset_key(sha256: str) -> str:
    return f"crucible:testset:{sha256}"


def job_key(key: str) -> str:
    return f"crucible:job:{key}"


def lease_key(key: str) -> str:
    return f"crucible:lease:{key}"


def attempts_key(key: str) -> str:
    return f"crucible:attempts:{key}"


def last_error_key(key: str) -> str:
    return f"crucible:lasterror:{key}"


def result_key(key: str) -> str:
    return f"crucible:result:{key}"


def output_key(key: str) -> str:
    return f"crucible:output:{key}"


def outcome_key(job: QueuedJob) -> str:
    """Where `job`'s outcome is stored: its result for a grade job, its output for a run."""
    return result_key(job.key) if job.task == GRADE_TASK else output_key(job.key)


def batch_key(batch_id: str) -> str:
    return f"crucible:batch:{batch_id}"


def rq_call(job: QueuedJob) -> dict[str, Any]:
    """How a job goes on rq, the same from the gateway and from the reaper: `job.task` by
    dotted name, called with these keywords: the job as its one JSON argument, its content
    key as the rq job id, its timeout, and rq keeping nothing of ours once it is done."""
    return {
        "args": (job.model_dump_json(),),
        "job_id": job.key,
        "timeout": job.timeout_s,
        "result_ttl": RQ_RESULT_TTL,
        "failure_ttl": RQ_FAILURE_TTL,
    }


def job_timeout_s(total_time_s: float) -> int:
    """The rq job timeout for work whose own limits end after `total_time_s`."""
    return int(total_time_s) + JOB_TIMEOUT_MARGIN_S
