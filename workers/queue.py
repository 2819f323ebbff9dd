"""The workers' one owner of rq: the worker class, re-enqueueing a job, what rq says of it.

The gateway enqueues `QueuedJob`s by dotted task name (crucible/contract.py); a worker runs
them with rq's SimpleWorker, in its own process, so the Judge and its cgroups are made once
per process and a job costs no fork.  rq's own abandoned-job handling is not relied on:
leases and the reaper (workers/reaper.py) re-run work whose worker died.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import redis
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import InvalidJobOperation
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.utils import now

from crucible import contract as c
from crucible.schema import QueuedJob
from workers.errors import StoreUnavailable

WORKER_TTL_S = 60
# rq refreshes its worker record with three unpipelined round trips several times per job;
# at most once per this many seconds is plenty for a record that lives WORKER_TTL_S.
HEARTBEAT_GAP_S = 2.0


class LeanWorker(SimpleWorker):
    """rq's SimpleWorker minus repeated bookkeeping: a stand-alone worker heartbeat at most
    every HEARTBEAT_GAP_S, and no write of a state the record already has.  rq's per-job
    writes (about twenty round trips) were the largest cost of a short job; jobs, executions
    and registries are untouched, as are heartbeats rq sends inside its own transactions."""

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        recent = self.last_heartbeat is not None and (now() - self.last_heartbeat) < timedelta(
            seconds=HEARTBEAT_GAP_S
        )
        if timeout is None and pipeline is None and recent:
            return
        super().heartbeat(timeout, pipeline)

    def set_state(self, state: str, pipeline: Any = None) -> None:
        if pipeline is None and state == getattr(self, "_state", None):
            return
        super().set_state(state, pipeline)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except (redis.RedisError, OSError) as exc:
        raise StoreUnavailable(f"redis (rq): {exc}") from exc


def make_worker(connection: redis.Redis, *, name: str) -> SimpleWorker:
    queue = Queue(c.QUEUE, connection=connection, serializer=JSONSerializer)
    return LeanWorker(
        [queue],
        connection=connection,
        name=name,
        serializer=JSONSerializer,
        worker_ttl=WORKER_TTL_S,
        log_job_description=False,
    )


def run_worker(connection: redis.Redis, *, name: str) -> None:
    """Take jobs until stopped (SIGTERM: finish the current job first) or Redis fails."""
    with translated():
        make_worker(connection, name=name).work(logging_level="WARNING")


def enqueue(connection: redis.Redis, job: QueuedJob) -> None:
    """Put `job` on the queue again under its content key (the reaper's path)."""
    with translated():
        Queue(c.QUEUE, connection=connection, serializer=JSONSerializer).enqueue_call(
            job.task,
            args=(job.model_dump_json(),),
            job_id=job.key,
            timeout=job.timeout_s,
            result_ttl=c.RQ_RESULT_TTL,
            failure_ttl=c.RQ_FAILURE_TTL,
        )


def is_waiting(connection: redis.Redis, key: str) -> bool:
    """True while rq holds `key` as queued (so it will still be dequeued)."""
    with translated():
        try:
            return bool(Job(key, connection=connection).get_status() == "queued")
        except InvalidJobOperation:
            return False


def current_enqueued_at() -> float | None:
    """When the job this process is running was (last) enqueued, as a unix time."""
    job = get_current_job()
    if job is None or job.enqueued_at is None:
        return None
    return float(job.enqueued_at.timestamp())
