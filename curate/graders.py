"""Where curation's submissions are graded: a running service through the client (batched
and pipelined by it), or the judge on this machine (one thread per core)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from crucible.client import RewardClient
from crucible.schema import RewardResult, Submission

if TYPE_CHECKING:
    from workers.judge.grade import Judge


class Grader(Protocol):
    """Grades submissions in order; a submission that could not be graded is None or a
    result with `status: "error"`, never a 0.  The pipeline calls `grade` from two threads
    at once (two batches in flight)."""

    where: str

    def grade(self, submissions: Sequence[Submission]) -> list[RewardResult | None]: ...

    def close(self) -> None: ...


class ServiceGrader:
    """A client per thread: the pipeline grades two batches at once."""

    def __init__(self, url: str | None, *, batch_size: int = 256) -> None:
        self._url = url
        self._batch_size = batch_size
        self._local = threading.local()
        self._clients: list[RewardClient] = []
        self._lock = threading.Lock()
        self.where = f"service at {self._client().url}"

    def _client(self) -> RewardClient:
        client: RewardClient | None = getattr(self._local, "client", None)
        if client is None:
            client = RewardClient(self._url, progress=False, batch_size=self._batch_size)
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def grade(self, submissions: Sequence[Submission]) -> list[RewardResult | None]:
        return self._client().grade_many(submissions, on_error="none")

    def close(self) -> None:
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()


class LocalGrader:
    def __init__(self, *, workers: int | None = None, judge: Judge | None = None) -> None:
        from workers.judge.grade import Judge

        self._owned = judge is None
        self._judge = judge or Judge()
        self._workers = workers or os.cpu_count() or 1
        self._pool = ThreadPoolExecutor(max_workers=self._workers)
        self.where = f"local judge, {self._workers} threads"

    def grade(self, submissions: Sequence[Submission]) -> list[RewardResult | None]:
        return list(self._pool.map(self._judge.grade_or_error, submissions))

    def close(self) -> None:
        self._pool.shutdown()
        if self._owned:
            self._judge.close()
