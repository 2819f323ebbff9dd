"""One `grade_many`: register test sets, send batches, long-poll, retry judge faults, order.

Submissions are sent in batches of at most `batch_size`; a gateway that takes fewer per
batch (422 batch_too_large, 413 payload_too_large) gets halves until one fits, and the
client remembers the size that did.  A batch the gateway lost (404: Redis flushed or the
result TTL passed) is sent again; its content-keyed jobs are graded at most once more.
Results with status "error" that the gateway marks retryable are sent again up to
`fault_retries` times; what is still an error after that is the caller's `on_error`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crucible import errors, schema
from crucible.progress import Progress
from crucible.registry import TestSetRegistry
from crucible.schema import RewardResult, Status, Submission, TestSet
from crucible.transport import Deadline, GatewayApi

log = logging.getLogger(__name__)
OnError = Literal["raise", "none"]
SPLIT_CODES = frozenset({"batch_too_large", "payload_too_large"})
PROGRESS_STEPS = 10  # long-polls per batch return early this many times, to move the bar
RESENDS = 3  # a lost batch (404) or forgotten test set is sent again this many times
# A long-poll that comes back early with nothing new (a proxy that does not hold requests)
# is followed by a growing pause, so the client never spins against the gateway.
IDLE_PAUSE_S = 0.05
MAX_IDLE_PAUSE_S = 2.0


@dataclass(frozen=True, slots=True)
class GradingOptions:
    batch_size: int = 256
    poll_wait_s: float = 20.0
    fault_retries: int = 2


def by_reference(
    submissions: Sequence[Submission],
) -> tuple[list[Submission], dict[str, TestSet]]:
    """Submissions that name their test sets by hash, and those test sets by hash.

    A test set object shared by many submissions (the 8-16 samples of one prompt) is
    hashed once."""
    testsets: dict[str, TestSet] = {}
    hashed: dict[int, str] = {}
    out: list[Submission] = []
    for submission in submissions:
        named, tests = schema.detach_testset(submission, hashed=hashed)
        if tests is not None and named.testset is not None:
            testsets[named.testset] = tests
        out.append(named)
    return out, testsets


class Grader:
    def __init__(self, api: GatewayApi, registry: TestSetRegistry, options: GradingOptions) -> None:
        self.api = api
        self.registry = registry
        self.options = options
        self.batch_size = options.batch_size

    async def grade(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: OnError,
        deadline: Deadline,
        progress: Progress,
    ) -> list[RewardResult | None]:
        subs, testsets = by_reference(submissions)
        await self.registry.ensure(testsets, deadline=deadline)
        results = await self._send(subs, testsets, deadline=deadline, progress=progress)
        for attempt in range(self.options.fault_retries):
            again = [i for i, r in enumerate(results) if _retryable_fault(r)]
            if not again:
                break
            log.warning("%d judge fault(s); sending them again (%d)", len(again), attempt + 1)
            fresh = await self._send([subs[i] for i in again], testsets, deadline=deadline)
            for index, result in zip(again, fresh, strict=True):
                results[index] = result
        return settle(results, on_error)

    async def _send(
        self,
        subs: Sequence[Submission],
        testsets: dict[str, TestSet],
        *,
        deadline: Deadline,
        progress: Progress | None = None,
    ) -> list[RewardResult]:
        size = self.batch_size
        spans = [subs[i : i + size] for i in range(0, len(subs), size)]
        parts = await asyncio.gather(
            *(self._span(list(s), testsets, deadline, progress) for s in spans)
        )
        return [result for part in parts for result in part]

    async def _span(
        self,
        subs: list[Submission],
        testsets: dict[str, TestSet],
        deadline: Deadline,
        progress: Progress | None,
    ) -> list[RewardResult]:
        for _ in range(RESENDS + 1):
            try:
                batch_id = await self._post(subs, testsets, deadline)
            except errors.BadRequest as exc:
                if exc.code not in SPLIT_CODES or len(subs) == 1:
                    raise
                half = len(subs) // 2
                self.batch_size = min(self.batch_size, half)
                log.info("the gateway refused a batch of %d; sending halves", len(subs))
                first, second = await asyncio.gather(
                    self._span(subs[:half], testsets, deadline, progress),
                    self._span(subs[half:], testsets, deadline, progress),
                )
                return first + second
            try:
                return await self._poll(batch_id, len(subs), deadline, progress)
            except errors.NotFound:
                log.warning("batch %s is gone from the gateway; sending it again", batch_id[:12])
                self.registry.forget(testsets)
        raise errors.Unavailable(
            "the gateway kept losing a batch", code="batch_lost", status=404, retryable=True
        )

    async def _post(
        self, subs: list[Submission], testsets: dict[str, TestSet], deadline: Deadline
    ) -> str:
        for _ in range(RESENDS):
            try:
                return (await self.api.post_batch(subs, deadline=deadline)).id
            except errors.BadRequest as exc:
                if exc.code != "unknown_testset":
                    raise
                named = {s.testset for s in subs if s.testset}
                self.registry.forget(named)
                await self.registry.ensure(
                    {sha: testsets[sha] for sha in named if sha in testsets}, deadline=deadline
                )
        return (await self.api.post_batch(subs, deadline=deadline)).id

    async def _poll(
        self, batch_id: str, total: int, deadline: Deadline, progress: Progress | None
    ) -> list[RewardResult]:
        step = max(1, math.ceil(total / PROGRESS_STEPS))
        done = idle = 0
        while True:
            asked = time.monotonic()
            try:
                status = await self.api.get_batch(
                    batch_id,
                    wait=self.options.poll_wait_s,
                    min_done=min(total, done + step),
                    deadline=deadline,
                )
            except errors.DeadlineExceeded as exc:
                raise errors.DeadlineExceeded(str(exc), missing=total - done) from exc
            if status.total != total or len(status.results) != total:
                raise errors.ProtocolError(f"batch {batch_id} has {status.total}, not {total}")
            if progress is not None:
                progress.advance(status.done - done)
            if status.done >= total:
                return [r for r in status.results if r is not None]
            early = time.monotonic() - asked < self.options.poll_wait_s / 2
            idle = idle + 1 if status.done <= done and early else 0
            done = max(done, status.done)
            if idle:
                await asyncio.sleep(min(IDLE_PAUSE_S * 2 ** (idle - 1), MAX_IDLE_PAUSE_S))


def _retryable_fault(result: RewardResult | None) -> bool:
    return (
        result is not None
        and result.status == Status.error
        and (result.error is None or result.error.retryable)
    )


def settle(results: list[RewardResult], on_error: OnError) -> list[RewardResult | None]:
    """Results for the caller: a judge fault raises, or becomes None.  Never a reward of 0."""
    out: list[RewardResult | None] = []
    faults = 0
    for index, result in enumerate(results):
        if result.status == Status.error or result.reward is None:
            if on_error == "raise":
                raise errors.JudgeFault(index, result.error)
            faults += 1
            out.append(None)
        else:
            out.append(result)
    if faults:
        log.warning("%d of %d submissions were not graded (judge faults): None", faults, len(out))
    return out
