"""The gateway: the one object every route hands its request to.  It turns requests into
content-keyed jobs, dedupes, enqueues and reports; it registers test sets; it says whether
the service is ready.  Routes parse and answer HTTP; they never reach the store or the queue.

A job's id is its content key.  A stored result answers at once (a cache hit); otherwise the
first request to SET NX the job record enqueues it and every identical request joins it.
Stored results are served as the JSON the worker wrote, without re-parsing, so a batch of
thousands costs one MGET and a join.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from crucible.schema import (
    Health,
    JobState,
    Language,
    RunCodeRequest,
    RunCodeResponse,
    RunRequest,
    RunResult,
    Submission,
    TestSet,
    TestSetInfo,
    check_language,
    detach_testset,
    testset_hash,
)
from server import contract as c
from server.contract import GRADE_TASK, RUN_TASK, QueuedJob
from service import metrics
from service.errors import (
    BatchTooLarge,
    InvalidRequest,
    NotFound,
    QueueFull,
    RedisUnavailable,
    RunTimeout,
    TestSetHashMismatch,
    UnknownTestSet,
)
from service.limits import check_submission, check_testset, test_count
from service.notify import Notifier
from service.queue import QUEUE_KEY, JobQueue
from service.sandbox_fusion import fetch_paths, to_response, to_run_request, wait_s
from service.settings import GatewaySettings
from service.store import GatewayStore
from service.waiting import collect

# Test set kinds a gateway remembers (a few MB at most), for programs in other languages.
KNOWN_KINDS = 65536


def is_error(raw: bytes) -> bool:
    """A stored error result is reported, but a new request for the same work runs it again."""
    value = json.loads(raw)
    return bool(value.get("status") == "error" or value.get("outcome") == "error")


@dataclass
class Intake:
    """What one request brings: its jobs and the test sets they register or name."""

    jobs: list[QueuedJob] = field(default_factory=list)
    new_testsets: dict[str, bytes] = field(default_factory=dict)
    named_testsets: set[str] = field(default_factory=set)
    # Named test sets a program in another language than Python is sent against: each must
    # hold stdio tests (inline ones the schema checked already).
    stdio_only: dict[str, Language] = field(default_factory=dict)

    def add(self, submission: Submission) -> QueuedJob:
        named, tests = detach_testset(submission)
        sha = named.testset or ""
        if tests is None:
            self.named_testsets.add(sha)
            if submission.language != Language.python:
                self.stdio_only[sha] = submission.language
        elif sha not in self.new_testsets:
            self.new_testsets[sha] = tests.model_dump_json().encode()
        submission = named
        job = QueuedJob(
            key=submission.content_key(),
            task=GRADE_TASK,
            # A test set's checker has a budget of its own, as long as the program's.
            timeout_s=c.job_timeout_s(2 * submission.limits.total_time_s),
            submission=submission,
        )
        self.jobs.append(job)
        return job


@dataclass
class Admitted:
    cached: dict[str, bytes] = field(default_factory=dict)
    enqueued: set[str] = field(default_factory=set)


class Gateway:
    def __init__(
        self,
        *,
        settings: GatewaySettings,
        store: GatewayStore,
        queue: JobQueue,
        notifier: Notifier,
    ) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.notifier = notifier
        self._kinds: dict[str, str] = {}  # test set hash -> kind, for _check_kinds

    # -- test sets --------------------------------------------------------------------------
    async def register_testset(self, sha256: str, testset: TestSet) -> TestSetInfo:
        """Store a test set under its content hash; `created` says whether it is new."""
        actual = testset_hash(testset)
        if actual != sha256:
            raise TestSetHashMismatch(f"the body hashes to {actual}, not {sha256}")
        check_testset(testset, self.settings)
        (created,) = await self.store.put_testsets({sha256: testset.model_dump_json().encode()})
        return TestSetInfo(
            sha256=sha256, kind=testset.kind, tests=test_count(testset), created=created
        )

    async def testset(self, sha256: str) -> bytes:
        """The registered test set's JSON, as it was registered."""
        body = await self.store.testset(sha256)
        if body is None:
            raise NotFound(f"test set {sha256} is not registered (or expired)")
        return body

    async def touch_testset(self, sha256: str) -> None:
        """Refresh a registered test set's TTL; NotFound when it is not registered."""
        (known,) = await self.store.touch_testsets([sha256])
        if not known:
            raise NotFound(f"test set {sha256} is not registered (or expired)")

    # -- operations -------------------------------------------------------------------------
    async def readiness(self) -> Health:
        """Ready while Redis answers and at least one worker is live."""
        try:
            workers = await self.store.live_workers()
        except RedisUnavailable:
            return Health(status="unavailable", redis=False, workers=0)
        if workers < 1:
            return Health(status="unavailable", workers=0)
        return Health(status="ok", workers=workers)

    async def refresh_gauges(self) -> None:
        """The queue's depth and age and the live workers, read now for /metrics; while Redis
        is away the gauges keep their last values."""
        with contextlib.suppress(RedisUnavailable):
            metrics.QUEUE_DEPTH.set(await self.store.queue_depth(QUEUE_KEY))
            metrics.WORKERS_LIVE.set(await self.store.live_workers())
            metrics.QUEUE_OLDEST.set(await self.queue.oldest_age_s())

    # -- submissions ----------------------------------------------------------------------
    async def submit(self, submission: Submission, *, wait: float) -> tuple[bytes, bool]:
        """The submission envelope (JSON) and whether it is done."""
        check_submission(submission, self.settings)
        intake = Intake()
        job = intake.add(submission)
        admitted = await self._admit(intake, route="submission")
        if job.key in admitted.cached:
            return envelope(job.key, admitted.cached[job.key]), True
        if job.key in admitted.enqueued:  # ours, just queued: no need to ask where it stands
            return await self._await(job.key, JobState.queued, wait=wait)
        return await self.status(job.key, wait=wait)

    async def status(self, key: str, *, wait: float) -> tuple[bytes, bool]:
        result, state = await self.store.state(key, c.result_key(key))
        if state is None:
            raise NotFound(f"no submission {key} (never sent, or its result expired)")
        if result is not None:
            return envelope(key, result), True
        return await self._await(key, state, wait=wait)

    async def _await(self, key: str, state: JobState, *, wait: float) -> tuple[bytes, bool]:
        if wait > 0:
            known = await collect(
                self.store,
                self.notifier,
                {key: c.result_key(key)},
                {},
                enough=bool,
                timeout=self._wait(wait),
            )
            if key in known:
                return envelope(key, known[key]), True
            return await self.status(key, wait=0)
        return json.dumps({"id": key, "state": state.value, "result": None}).encode(), False

    # -- batches --------------------------------------------------------------------------
    async def submit_batch(self, submissions: Sequence[Submission]) -> tuple[str, int, int]:
        """(batch id, total, answered from cache)."""
        if len(submissions) > self.settings.max_batch:
            raise BatchTooLarge(
                f"{len(submissions)} submissions; this server takes {self.settings.max_batch}"
                " per batch"
            )
        intake = Intake()
        for index, submission in enumerate(submissions):
            check_submission(submission, self.settings, where=f"submissions[{index}].")
            intake.add(submission)
        keys = [job.key for job in intake.jobs]
        batch_id = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        admitted = await self._admit(intake, route="batch")
        await self.store.put_batch(batch_id, keys)
        return batch_id, len(keys), sum(k in admitted.cached for k in keys)

    async def batch(self, batch_id: str, *, wait: float, min_done: int | None) -> bytes:
        keys = await self.store.batch(batch_id)
        if keys is None:
            raise NotFound(f"no batch {batch_id} (never sent, or it expired)")
        need = len(keys) if min_done is None else min(min_done, len(keys))
        pending = {k: c.result_key(k) for k in keys}
        copies = Counter(keys)  # identical submissions share one content key

        def enough(done: Set[str]) -> bool:
            if need == len(keys):
                return len(done) >= len(copies)  # every key: a count will do
            return sum(copies[k] for k in done) >= need

        timeout = self._wait(wait) if wait > 0 else 0.0
        known = await collect(
            self.store, self.notifier, pending, {}, enough=enough, timeout=timeout
        )
        parts = [known.get(k, b"null") for k in keys]
        done = sum(k in known for k in keys)
        head = json.dumps({"id": batch_id, "total": len(keys), "done": done})[:-1].encode()
        return head + b', "results": [' + b",".join(parts) + b"]}"

    # -- raw runs (/run_code) -------------------------------------------------------------
    async def run(self, request: RunRequest, *, wait: float) -> bytes | None:
        """The RunResult JSON, or None when it did not finish within `wait` seconds."""
        job = QueuedJob(
            key=request.content_key(),
            task=RUN_TASK,
            timeout_s=c.job_timeout_s(request.limits.test_wall_s + 60),
            run=request,
        )
        admitted = await self._admit(Intake(jobs=[job]), route="run_code")
        if job.key in admitted.cached:
            return admitted.cached[job.key]
        known = await collect(
            self.store,
            self.notifier,
            {job.key: c.outcome_key(job)},
            {},
            enough=bool,
            timeout=wait,
        )
        return known.get(job.key)

    async def run_code(self, request: RunCodeRequest) -> RunCodeResponse:
        """SandboxFusion's /run_code: its request run as a raw run, its response built from
        the RunResult; RunTimeout (504) before the caller's own timeout would strike."""
        wait = wait_s(request, self.settings)
        raw = await self.run(to_run_request(request, self.settings), wait=wait)
        if raw is None:
            raise RunTimeout(f"not finished within {wait:g} s; send it again to rejoin")
        asked = fetch_paths(request, self.settings)
        return to_response(RunResult.model_validate_json(raw), asked=asked)

    # -- admission: cache, backpressure, claim, enqueue -----------------------------------
    async def _admit(self, intake: Intake, *, route: metrics.Route) -> Admitted:
        """Every job is answered from cache, or queued exactly once (three round trips)."""
        unique = list({job.key: job for job in intake.jobs}.values())
        named = sorted(intake.named_testsets)
        found = await self.store.lookup(
            new_testsets=intake.new_testsets,
            named_testsets=named,
            result_keys=[c.outcome_key(job) for job in unique],
            queue_key=QUEUE_KEY,
        )
        missing = [sha for sha, ok in zip(named, found.named_known, strict=True) if not ok]
        if missing:
            raise UnknownTestSet(
                f"test set(s) not registered (or expired): {', '.join(missing[:5])};"
                " PUT /v1/testsets/{sha256} and send again"
            )
        if intake.stdio_only:
            await self._check_kinds(intake.stdio_only)
        admitted = Admitted()
        misses: list[QueuedJob] = []
        stale: list[bool] = []
        for job, raw in zip(unique, found.values, strict=True):
            if raw is not None and not is_error(raw):
                admitted.cached[job.key] = raw
            else:
                misses.append(job)
                stale.append(raw is not None)
        if misses:
            admitted.enqueued = await self._enqueue(misses, stale, depth=found.queue_depth)
        metrics.count_submissions(
            route,
            cached=len(admitted.cached),
            enqueued=len(admitted.enqueued),
            joined=len(misses) - len(admitted.enqueued),
        )
        return admitted

    async def _check_kinds(self, stdio_only: dict[str, Language]) -> None:
        """InvalidRequest (422) when a program in another language than Python names a test
        set of call or assert tests, which run Python programs only.  A hash names one test
        set forever, so each one's kind is read once per gateway."""
        for sha, language in stdio_only.items():
            kind = self._kinds.get(sha)
            if kind is None:
                body = await self.store.testset(sha)
                if body is None:  # expired since the lookup: the worker says so
                    continue
                kind = str(json.loads(body).get("kind"))
                if len(self._kinds) >= KNOWN_KINDS:
                    self._kinds.clear()
                self._kinds[sha] = kind
            try:
                check_language(language, None, kind)
            except ValueError as exc:
                raise InvalidRequest(f"test set {sha}: {exc}") from None

    async def _enqueue(self, misses: list[QueuedJob], stale: list[bool], *, depth: int) -> set[str]:
        if depth + len(misses) > self.settings.max_queued:
            raise QueueFull(
                f"{depth} jobs are queued; this server queues at most {self.settings.max_queued}",
                headers={"Retry-After": str(self.settings.retry_after_s)},
            )
        claimed = await self.store.claim(misses, stale)
        won = [job for job, ok in zip(misses, claimed, strict=True) if ok]
        if won:
            try:
                await self.queue.enqueue(won)
            except RedisUnavailable:
                with contextlib.suppress(RedisUnavailable):
                    await self.store.unclaim(won)
                raise
        return {job.key for job in won}

    def _wait(self, wait: float) -> float:
        return min(wait, self.settings.max_wait_s)


def envelope(key: str, result: bytes) -> bytes:
    return (
        b'{"id": "'
        + key.encode()
        + b'", "state": "'
        + JobState.done.value.encode()
        + (b'", "result": ' + result + b"}")
    )
