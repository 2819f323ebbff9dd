"""Run one queued job under a lease: start it, grade it, store the result or give it back.

A job is started only when no result exists and no other worker holds its lease, so copies
of one job (a retried enqueue, a re-run after a lapsed lease) never grade twice at once.
A candidate's verdict is stored as a result; a fault of ours is retried on another start
and, after `max_attempts` starts, stored as status "error" (never a reward of 0).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict

from pydantic import TypeAdapter, ValidationError

from crucible.schema import (
    AnyTestSet,
    ErrorBody,
    RewardResult,
    RunOutcome,
    RunResult,
    Status,
    TestSet,
)
from server import contract as c
from server.contract import GRADE_TASK, QueuedJob
from workers.judge.errors import JudgeError, StoreUnavailable, UnknownTestSet
from workers.judge.grade import Judge
from workers.queue import metrics
from workers.queue.settings import WorkerSettings
from workers.queue.store import WorkerStore
from workers.queue.worker import INTERMEDIATE_KEY, current_enqueued_at

log = logging.getLogger(__name__)
TESTSETS: TypeAdapter[AnyTestSet] = TypeAdapter(TestSet)


def error_result(job: QueuedJob, error: ErrorBody) -> str:
    """The stored result of a job that failed on our side: visible, never a reward."""
    if job.task == GRADE_TASK:
        return RewardResult(status=Status.error, reward=None, error=error).model_dump_json()
    return RunResult(outcome=RunOutcome.error, error=error).model_dump_json()


class JobRunner:
    """Runs jobs for one worker process; `current` is what its heartbeat must keep leased."""

    def __init__(
        self, judge: Judge, store: WorkerStore, settings: WorkerSettings, *, worker_id: str
    ) -> None:
        self.judge = judge
        self.store = store
        self.settings = settings
        self.worker_id = worker_id
        self.current: tuple[str, str] | None = None
        self._testsets: OrderedDict[str, AnyTestSet] = OrderedDict()

    def execute(self, job: QueuedJob) -> None:
        token = f"{self.worker_id}:{uuid.uuid4().hex[:8]}"
        begun = self.store.begin(
            job.key, result_key=c.outcome_key(job), token=token, taken_from=INTERMEDIATE_KEY
        )
        if begun.done:
            self.store.forget(job.key)
            return
        if begun.busy:
            log.info("job %s is running elsewhere", job.key[:12])
            return
        enqueued = current_enqueued_at()
        if enqueued is not None:
            metrics.QUEUE_WAIT_SECONDS.observe(max(0.0, time.time() - enqueued))
        if begun.attempt > self.settings.max_attempts:
            self._give_up(job, ErrorBody(code="worker_lost", message="too many attempts"))
            return
        log.info("job %s start (attempt %d)", job.key[:12], begun.attempt)
        self.current = (job.key, token)
        try:
            self._attempt(job, token, attempt=begun.attempt)
        finally:
            self.current = None

    def _attempt(self, job: QueuedJob, token: str, *, attempt: int) -> None:
        started = time.monotonic()
        try:
            try:
                result_json = self._work(job)
            finally:
                # The work is over: the heartbeat must not renew a lease that finish() or
                # release() is about to end (it would warn of a lease lost).
                self.current = None
        except JudgeError as exc:
            metrics.infra_error(exc.code)
            log.warning("job %s fault %s: %s", job.key[:12], exc.code, exc.message[-300:])
            if not exc.retryable or attempt >= self.settings.max_attempts:
                self._give_up(job, exc.body())
            else:
                self.store.release(job.key, token=token, error=exc.body())
            return
        except StoreUnavailable:
            metrics.infra_error("redis_unavailable")
            log.warning("job %s: redis unavailable; its lease will lapse", job.key[:12])
            return
        except Exception:
            metrics.infra_error("internal_error")
            log.exception("job %s: unexpected failure", job.key[:12])
            body = ErrorBody(code="internal_error", message="worker failure", retryable=True)
            self.store.release(job.key, token=token, error=body)
            return
        try:
            self.store.finish(job.key, result_key=c.outcome_key(job), result_json=result_json)
        except StoreUnavailable:
            metrics.infra_error("redis_unavailable")
            log.warning("job %s: redis unavailable; it will run again", job.key[:12])
            return
        log.info("job %s done in %.3f s", job.key[:12], time.monotonic() - started)

    def _work(self, job: QueuedJob) -> str:
        started = time.monotonic()
        if job.submission is not None:
            submission = job.submission
            testset = self._testset(submission.testset or "")
            result = self.judge.grade(submission, testset)
            metrics.GRADE_SECONDS.labels(submission.language.value, "grade").observe(
                time.monotonic() - started
            )
            metrics.RESULTS.labels(result.status.value).inc()
            if result.verdict is not None:
                metrics.VERDICTS.labels(result.verdict.value).inc()
            return result.model_dump_json()
        assert job.run is not None  # QueuedJob guarantees one kind of work
        request = job.run
        run = self.judge.run(
            request.code,
            language=request.language,
            standard=request.standard,
            stdin=request.stdin,
            limits=request.limits,
            files=request.file_contents(),
            fetch=request.fetch_files,
        )
        metrics.GRADE_SECONDS.labels(job.run.language.value, "run").observe(
            time.monotonic() - started
        )
        metrics.RESULTS.labels(run.outcome.value).inc()
        return run.model_dump_json()

    def _give_up(self, job: QueuedJob, error: ErrorBody) -> None:
        metrics.RESULTS.labels("error").inc()
        self.store.finish(
            job.key, result_key=c.outcome_key(job), result_json=error_result(job, error)
        )

    def _testset(self, sha256: str) -> AnyTestSet:
        """The registered test set, parsed once per process (it is immutable by its hash)."""
        if sha256 in self._testsets:
            self._testsets.move_to_end(sha256)
            return self._testsets[sha256]
        raw = self.store.testset(sha256)
        if raw is None:
            raise UnknownTestSet(f"test set {sha256} expired; register it again and resubmit")
        try:
            testset = TESTSETS.validate_json(raw)
        except ValidationError as exc:
            raise UnknownTestSet(f"test set {sha256} is unreadable: {exc}") from exc
        if self.settings.testset_cache:
            self._testsets[sha256] = testset
            while len(self._testsets) > self.settings.testset_cache:
                self._testsets.popitem(last=False)
        return testset
