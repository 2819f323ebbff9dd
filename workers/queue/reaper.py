"""Find jobs that stopped making progress and run them again, or give up visibly.

Every outstanding job has a deadline (server/contract.py): its queue grace while queued,
its lease expiry while running.  A lapsed deadline means the worker died (SIGKILL, eviction),
gave the job back after a fault, or the queue lost it.  A job a worker took off the queue and
never started (rq's intermediate list) is given a lease's deadline, not a queue grace.  One
reaper runs at a time (a Redis lock); every worker process offers to be it every
`reap_interval_s`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from pydantic import ValidationError

from crucible.schema import ErrorBody
from server import contract as c
from server.contract import QueuedJob
from workers.queue import metrics
from workers.queue.runner import error_result
from workers.queue.settings import WorkerSettings
from workers.queue.store import JobFacts, WorkerStore
from workers.queue.worker import enqueue, is_waiting, taken_not_started

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(frozen=True, slots=True)
class Reaped:
    requeued: int = 0
    failed: int = 0
    cleaned: int = 0


def reap(store: WorkerStore, rq_connection: redis.Redis, settings: WorkerSettings) -> Reaped:
    """One pass over lapsed deadlines."""
    now = store.now()
    # A job taken off the queue but never started is due within a lease, not a queue grace.
    store.hasten(taken_not_started(rq_connection), now + settings.lease_ttl_s)
    requeued = failed = cleaned = 0
    for key in store.lapsed(now, BATCH):
        if not store.take_lapsed(key, now):
            continue  # renewed meanwhile, or another reaper took it
        facts = store.facts(key)
        outcome = _settle(
            key, facts, store=store, rq_connection=rq_connection, settings=settings, now=now
        )
        requeued += outcome == "requeued"
        failed += outcome == "failed"
        cleaned += outcome == "cleaned"
    if requeued or failed:
        log.warning("reaper: %d job(s) re-enqueued, %d given up", requeued, failed)
    return Reaped(requeued, failed, cleaned)


def _settle(  # noqa: PLR0911 - one line per state of a lapsed job
    key: str,
    facts: JobFacts,
    *,
    store: WorkerStore,
    rq_connection: redis.Redis,
    settings: WorkerSettings,
    now: float,
) -> str:
    if facts.has_result:
        store.forget(key)
        return "cleaned"
    if facts.lease_left_s > 0:
        store.set_deadline(key, now + facts.lease_left_s)  # still running: keep watching
        return "running"
    if facts.job is None:
        return "cleaned"  # the record expired: nothing left to run
    try:
        job = QueuedJob.model_validate_json(facts.job)
    except ValidationError:
        log.exception("reaper: unreadable job record %s dropped", key[:12])
        return "cleaned"
    if facts.attempts >= settings.max_attempts:
        error = facts.last_error or ErrorBody(
            code="worker_lost", message="the worker running this job stopped", retryable=True
        )
        error = error.model_copy(
            update={"message": f"{error.message} (after {facts.attempts} attempts)"}
        )
        metrics.infra_error(error.code)
        store.finish(key, result_key=c.outcome_key(job), result_json=error_result(job, error))
        return "failed"
    if is_waiting(rq_connection, key):
        store.set_deadline(key, now + settings.queue_grace_s)  # a long queue, not a loss
        return "waiting"
    store.set_deadline(key, now + settings.queue_grace_s)
    enqueue(rq_connection, job)
    metrics.REQUEUED.labels("lapsed" if facts.last_error is None else "fault").inc()
    return "requeued"
