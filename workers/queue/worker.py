"""The workers' one owner of rq: the worker class, re-enqueueing a job, what rq says of it.

The gateway enqueues `QueuedJob`s by dotted task name (server/contract.py); a worker runs
them with rq's SimpleWorker, in its own process, so the Judge and its cgroups are made once
per process and a job costs no fork.  rq's own abandoned-job handling is not relied on:
leases and the reaper (workers/queue/reaper.py) re-run work whose worker died, so a job needs none
of rq's per-execution records either (see LeanWorker.execute_job).
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

import redis
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import InvalidJobOperation
from rq.intermediate_queue import IntermediateQueue
from rq.job import Job, JobStatus
from rq.results import Result
from rq.serializers import JSONSerializer
from rq.timeouts import JobTimeoutException
from rq.utils import now
from rq.worker import WorkerStatus

from server import contract as c
from server.contract import QueuedJob
from workers.judge.errors import StoreUnavailable

log = logging.getLogger(__name__)
# rq's list of jobs its workers took off the queue and have not yet finished with.
INTERMEDIATE_KEY = IntermediateQueue.get_intermediate_queue_key(
    f"{Queue.redis_queue_namespace_prefix}{c.QUEUE}"
)
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

    def check_for_suspension(self, burst: bool) -> None:
        """`rq suspend` is looked for at most every HEARTBEAT_GAP_S, not before every job."""
        checked = getattr(self, "_suspension_checked", None)
        if checked is not None and (now() - checked) < timedelta(seconds=HEARTBEAT_GAP_S):
            return
        self._suspension_checked = now()
        super().check_for_suspension(burst)

    def unsubscribe(self) -> None:
        """Stop listening for rq's worker commands, in a bounded time.

        rq unsubscribes, then stops redis-py's listener thread; redis-py 8's `stop` joins
        that thread without a bound, and a thread that read the unsubscribe reply first goes
        back to wait up to 60 s for a subscription that never comes.  On a busy machine that
        held every worker's exit for a minute.  Here the thread is told to stop first, so the
        reply ends its loop, and the wait for it is bounded."""
        if self.pubsub_thread is not None:
            self.pubsub_thread.stop(timeout=0)
            self.pubsub.unsubscribe()
            self.pubsub_thread.join(timeout=1)

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run `job` with two writes of bookkeeping where rq makes about twenty.

        Before: the job is marked started, in one round trip.  It stays on rq's intermediate
        list until the task takes its lease (workers/queue/store.py `begin` takes it off there, in
        the same script), so a worker lost in between leaves it where the reaper looks.
        After: its hash is deleted and it is off that list, since its result lives in
        crucible's own keys, and the worker is marked idle, in one round trip; or, when the
        task raised (it catches its own faults, so this is a bug or Redis failing), it is
        filed in rq's failed registry for `rq info` to show and left on the intermediate list
        unless its task took it off, so the reaper runs it again within a lease.
        rq's execution records and started registry are skipped: they serve rq's recovery of
        abandoned jobs, which leases and the reaper replace.  The job still runs under rq's
        death penalty (its `timeout`), in this process.
        """
        with self.connection.pipeline(transaction=False) as pipe:  # each write stands alone
            self.set_state(WorkerStatus.BUSY, pipeline=pipe)
            # The worker's record must outlive the job, as rq's own path makes it.
            self.heartbeat(self.get_heartbeat_ttl(job), pipeline=pipe)
            job.prepare_for_execution(self.name, pipeline=pipe)
            pipe.execute()
        timeout = job.timeout or queue.DEFAULT_TIMEOUT
        try:
            with self.death_penalty_class(timeout, JobTimeoutException, job_id=job.id):
                job.perform()
        except Exception:
            log.exception("job %s raised", job.id[:12])
            with self.connection.pipeline() as pipe:
                self.set_state(WorkerStatus.IDLE, pipeline=pipe)
                job.set_status(JobStatus.FAILED, pipeline=pipe)
                trace = traceback.format_exc()
                queue.failed_job_registry.add(
                    job, ttl=job.failure_ttl, exc_string=trace, pipeline=pipe
                )
                Result.create_failure(
                    job, job.failure_ttl, exc_string=trace, worker_name=self.name, pipeline=pipe
                )
                pipe.execute()
            return
        job._status = JobStatus.FINISHED
        with self.connection.pipeline(transaction=False) as pipe:
            pipe.delete(job.key)
            pipe.lrem(queue.intermediate_queue_key, 1, job.id)  # begin did, for our tasks
            # Here rather than in a round trip of its own when rq's loop comes round.
            self.set_state(WorkerStatus.IDLE, pipeline=pipe)
            pipe.execute()


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
    """Put `job` on the queue again under its content key (the reaper's path), taking it
    off rq's intermediate list if a worker stranded it there."""
    with translated():
        connection.lrem(INTERMEDIATE_KEY, 0, job.key)
        queue = Queue(c.QUEUE, connection=connection, serializer=JSONSerializer)
        queue.enqueue_call(job.task, **c.rq_call(job))


def is_waiting(connection: redis.Redis, key: str) -> bool:
    """True while rq holds `key` as queued (so it will still be dequeued).  A job on rq's
    intermediate list is not: a worker took it off the queue and has not started it."""
    with translated():
        try:
            if Job(key, connection=connection).get_status() != "queued":
                return False
        except InvalidJobOperation:
            return False
        return connection.lpos(INTERMEDIATE_KEY, key) is None


def taken_not_started(connection: redis.Redis) -> list[str]:
    """Jobs a worker moved off the queue (onto rq's intermediate list) and has not yet taken
    the lease of: for a few milliseconds each normally, for good when the worker lost Redis
    or died in between (rq then leaves them there, "queued" or "started")."""
    with translated():
        keys = cast(list[bytes], connection.lrange(INTERMEDIATE_KEY, 0, -1))
        return [k.decode() for k in keys]


def current_enqueued_at() -> float | None:
    """When the job this process is running was (last) enqueued, as a unix time."""
    job = get_current_job()
    if job is None or job.enqueued_at is None:
        return None
    return float(job.enqueued_at.timestamp())
