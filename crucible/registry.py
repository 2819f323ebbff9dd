"""Test sets this client has seen registered, so each one crosses the network once.

A test set is sent by content hash: HEAD asks whether the gateway has it (and refreshes its
TTL there), PUT registers it only when it does not.  What was confirmed is remembered for
`ttl_s`; the gateway answering `unknown_testset` later (Redis flushed, TTL passed) makes the
client forget and register again.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Iterable, Mapping

from crucible.schema import TestSet
from crucible.transport import Deadline, GatewayApi


class TestSetRegistry:
    __test__ = False  # not a pytest test class

    def __init__(
        self,
        api: GatewayApi,
        *,
        ttl_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.ttl_s = ttl_s
        self.clock = clock
        self._confirmed: dict[str, float] = {}
        self._inflight: dict[str, asyncio.Task[None]] = {}

    def known(self, sha: str) -> bool:
        seen = self._confirmed.get(sha)
        return seen is not None and self.clock() - seen < self.ttl_s

    def forget(self, shas: Iterable[str]) -> None:
        for sha in shas:
            self._confirmed.pop(sha, None)

    async def ensure(self, testsets: Mapping[str, TestSet], *, deadline: Deadline) -> None:
        """Make sure the gateway holds every test set (sha256 -> test set)."""
        tasks = []
        for sha, testset in testsets.items():
            if self.known(sha):
                continue
            task = self._inflight.get(sha)
            if task is None:  # one registration per hash, however many callers want it
                task = asyncio.ensure_future(self._register(sha, testset, deadline))
                self._inflight[sha] = task
                task.add_done_callback(functools.partial(self._settled, sha))
            tasks.append(task)
        if tasks:
            await asyncio.gather(*tasks)

    def _settled(self, sha: str, task: asyncio.Future[None]) -> None:
        self._inflight.pop(sha, None)

    async def _register(self, sha: str, testset: TestSet, deadline: Deadline) -> None:
        if not await self.api.testset_known(sha, deadline=deadline):
            await self.api.put_testset(sha, testset, deadline=deadline)
        self._confirmed[sha] = self.clock()
