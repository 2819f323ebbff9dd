"""`AsyncRewardClient` and `RewardClient`: rewards for a step's rollouts, in input order.

    with RewardClient("http://gateway:8000") as client:
        results = client.grade_many(submissions)           # ordered, with a progress bar
        pending = client.submit(first_group)               # returns at once ...
        pending2 = client.submit(second_group)
        results = client.collect([pending, pending2])      # ... rewards later, in order

A judge fault is never a reward of 0: `on_error="raise"` (default) raises JudgeFault,
`on_error="none"` puts None in its place (TRL's "no reward").  The synchronous client runs
the asynchronous one on a private event loop thread (crucible/portal.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Sequence
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, overload

import httpx

from crucible.grading import Grader, GradingOptions, OnError
from crucible.portal import Portal
from crucible.progress import Progress, progress_bar
from crucible.registry import TestSetRegistry
from crucible.retry import DEFAULT_RETRY, RetryPolicy
from crucible.schema import RewardResult, Submission
from crucible.settings import client_settings
from crucible.transport import Deadline, GatewayApi, Timeouts

T = TypeVar("T")
MaybeResult = RewardResult | None


class AsyncPending(Generic[T]):
    """Submissions in flight; `await` it (or `client.collect` it) for their results."""

    def __init__(self, task: asyncio.Future[list[T]], progress: Progress) -> None:
        self.task = task
        self.progress = progress

    @property
    def total(self) -> int:
        return self.progress.total

    @property
    def done(self) -> int:
        """How many results the gateway has delivered so far."""
        return self.progress.done

    def __await__(self) -> Generator[Any, None, list[T]]:
        return self.task.__await__()


class AsyncRewardClient:
    """Grades submissions through a Crucible gateway.  Create once; use from one event loop.

    url, token: default CRUCIBLE_URL and CRUCIBLE_API_TOKEN.  max_concurrency: requests in
    flight.  deadline_s: longest any one call (or a submit until its collect) may take;
    None: no deadline, each request still has its timeouts.  progress: show tqdm bars.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        max_concurrency: int = 16,
        batch_size: int = 256,
        deadline_s: float | None = 3600.0,
        poll_wait_s: float = 20.0,
        fault_retries: int = 2,
        retry: RetryPolicy = DEFAULT_RETRY,
        timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen
        progress: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if url is None or token is None:
            settings = client_settings()
            url = url or settings.url
            token = token if token is not None else settings.token
        if max_concurrency < 1 or batch_size < 1:
            raise ValueError("max_concurrency and batch_size must be at least 1")
        self.url = url
        self.deadline_s = deadline_s
        self.progress = progress
        self.api = GatewayApi(
            url,
            token=token,
            timeouts=timeouts,
            retry=retry,
            max_connections=max_concurrency,
            transport=transport,
        )
        self.registry = TestSetRegistry(self.api)
        options = GradingOptions(batch_size, poll_wait_s, fault_retries)
        self.grader = Grader(self.api, self.registry, options)

    async def __aenter__(self) -> AsyncRewardClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.api.aclose()

    @overload
    async def grade(
        self,
        submission: Submission,
        *,
        on_error: Literal["raise"] = ...,
        deadline_s: float | None = ...,
    ) -> RewardResult: ...
    @overload
    async def grade(
        self,
        submission: Submission,
        *,
        on_error: Literal["none"],
        deadline_s: float | None = ...,
    ) -> MaybeResult: ...
    async def grade(
        self, submission: Submission, *, on_error: OnError = "raise",
        deadline_s: float | None = None,
    ) -> MaybeResult:  # fmt: skip
        """One submission's result."""
        pending: AsyncPending[Any] = self.submit(
            [submission], on_error=on_error, deadline_s=deadline_s
        )
        results: list[MaybeResult] = await pending
        return results[0]

    @overload
    async def grade_many(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["raise"] = ...,
        progress: bool | None = ...,
        deadline_s: float | None = ...,
    ) -> list[RewardResult]: ...
    @overload
    async def grade_many(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["none"],
        progress: bool | None = ...,
        deadline_s: float | None = ...,
    ) -> list[MaybeResult]: ...
    async def grade_many(
        self, submissions: Sequence[Submission], *, on_error: OnError = "raise",
        progress: bool | None = None, deadline_s: float | None = None,
    ) -> list[RewardResult] | list[MaybeResult]:  # fmt: skip
        """Results in the order of `submissions`.  deadline_s: None means the client's."""
        pending: AsyncPending[Any] = self.submit(
            submissions, on_error=on_error, deadline_s=deadline_s
        )
        return await self.collect(pending, progress=progress)

    @overload
    def submit(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["raise"] = ...,
        deadline_s: float | None = ...,
    ) -> AsyncPending[RewardResult]: ...
    @overload
    def submit(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["none"],
        deadline_s: float | None = ...,
    ) -> AsyncPending[MaybeResult]: ...
    def submit(
        self, submissions: Sequence[Submission], *, on_error: OnError = "raise",
        deadline_s: float | None = None,
    ) -> AsyncPending[RewardResult] | AsyncPending[MaybeResult]:  # fmt: skip
        """Start grading now and return at once (call from a running event loop)."""
        if on_error not in ("raise", "none"):
            raise ValueError(f"on_error must be 'raise' or 'none', not {on_error!r}")
        subs = list(submissions)
        progress = Progress(len(subs))
        deadline = Deadline(deadline_s if deadline_s is not None else self.deadline_s)
        task = asyncio.ensure_future(self._grade(subs, on_error, deadline, progress))
        return AsyncPending(task, progress)

    async def collect(
        self, pending: AsyncPending[T] | Sequence[AsyncPending[T]], *, progress: bool | None = None
    ) -> list[T]:
        """The results of one or more `submit` calls, concatenated in the order given."""
        items = [pending] if isinstance(pending, AsyncPending) else list(pending)
        shown = self.progress if progress is None else progress
        total = sum(p.total for p in items)
        bar = progress_bar(total, enabled=shown and total > 0, done=sum(p.done for p in items))
        for item in items:
            item.progress.attach(bar)
        try:
            parts = await asyncio.gather(*(item.task for item in items))
        finally:
            for item in items:
                item.progress.detach(bar)
            bar.close()
        return [result for part in parts for result in part]

    async def _grade(
        self, subs: list[Submission], on_error: OnError, deadline: Deadline, progress: Progress
    ) -> list[Any]:
        if not subs:
            return []
        return await self.grader.grade(
            subs, on_error=on_error, deadline=deadline, progress=progress
        )


class Pending(Generic[T]):
    """Submissions in flight from the synchronous client; `result()` waits for them."""

    def __init__(self, inner: AsyncPending[T], portal: Portal) -> None:
        self.inner = inner
        self._portal = portal

    @property
    def total(self) -> int:
        return self.inner.total

    @property
    def done(self) -> int:
        return self.inner.done

    def result(self) -> list[T]:
        return self._portal.run(_wait(self.inner))


async def _wait(pending: AsyncPending[T]) -> list[T]:
    return await pending


async def _shutdown(client: AsyncRewardClient) -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.aclose()


class RewardClient:
    """The synchronous client: same arguments and methods as AsyncRewardClient.

    Safe to call from any thread and from inside a running event loop (a notebook's).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        max_concurrency: int = 16,
        batch_size: int = 256,
        deadline_s: float | None = 3600.0,
        poll_wait_s: float = 20.0,
        fault_retries: int = 2,
        retry: RetryPolicy = DEFAULT_RETRY,
        timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen
        progress: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._options: dict[str, Any] = {
            "token": token,
            "max_concurrency": max_concurrency,
            "batch_size": batch_size,
            "deadline_s": deadline_s,
            "poll_wait_s": poll_wait_s,
            "fault_retries": fault_retries,
            "retry": retry,
            "timeouts": timeouts,
            "progress": progress,
            "transport": transport,
        }
        self._url = url
        self._portal = Portal()
        self._client: AsyncRewardClient | None = AsyncRewardClient(url, **self._options)
        self.url = self._client.url

    def __enter__(self) -> RewardClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def client(self) -> AsyncRewardClient:
        """The async client behind this one (made again in a forked child)."""
        if self._client is None or self._portal.forked:
            self._portal.loop()
            self._client = AsyncRewardClient(self._url, **self._options)
        return self._client

    def close(self) -> None:
        """Cancel what is still in flight (uncollected submits), then close the connections."""
        if self._client is not None and not self._portal.forked:
            self._portal.run(_shutdown(self._client))
        self._client = None
        self._portal.close()

    @overload
    def grade(
        self,
        submission: Submission,
        *,
        on_error: Literal["raise"] = ...,
        deadline_s: float | None = ...,
    ) -> RewardResult: ...
    @overload
    def grade(
        self,
        submission: Submission,
        *,
        on_error: Literal["none"],
        deadline_s: float | None = ...,
    ) -> MaybeResult: ...
    def grade(
        self, submission: Submission, *, on_error: OnError = "raise",
        deadline_s: float | None = None,
    ) -> MaybeResult:  # fmt: skip
        client = self.client
        result: MaybeResult = self._portal.run(
            client.grade(submission, on_error=on_error, deadline_s=deadline_s)
        )
        return result

    @overload
    def grade_many(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["raise"] = ...,
        progress: bool | None = ...,
        deadline_s: float | None = ...,
    ) -> list[RewardResult]: ...
    @overload
    def grade_many(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["none"],
        progress: bool | None = ...,
        deadline_s: float | None = ...,
    ) -> list[MaybeResult]: ...
    def grade_many(
        self, submissions: Sequence[Submission], *, on_error: OnError = "raise",
        progress: bool | None = None, deadline_s: float | None = None,
    ) -> list[RewardResult] | list[MaybeResult]:  # fmt: skip
        client = self.client
        results: list[Any] = self._portal.run(
            client.grade_many(
                submissions, on_error=on_error, progress=progress, deadline_s=deadline_s
            )
        )
        return results

    @overload
    def submit(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["raise"] = ...,
        deadline_s: float | None = ...,
    ) -> Pending[RewardResult]: ...
    @overload
    def submit(
        self,
        submissions: Sequence[Submission],
        *,
        on_error: Literal["none"],
        deadline_s: float | None = ...,
    ) -> Pending[MaybeResult]: ...
    def submit(
        self, submissions: Sequence[Submission], *, on_error: OnError = "raise",
        deadline_s: float | None = None,
    ) -> Pending[RewardResult] | Pending[MaybeResult]:  # fmt: skip
        """Start grading in the background and return at once."""
        client = self.client
        subs = list(submissions)  # the caller may reuse its list before the loop reads it

        async def start() -> AsyncPending[Any]:
            pending: AsyncPending[Any] = client.submit(
                subs, on_error=on_error, deadline_s=deadline_s
            )
            return pending

        return Pending(self._portal.run(start()), self._portal)

    def collect(
        self, pending: Pending[T] | Sequence[Pending[T]], *, progress: bool | None = None
    ) -> list[T]:
        items = [pending] if isinstance(pending, Pending) else list(pending)
        client = self.client
        return self._portal.run(client.collect([p.inner for p in items], progress=progress))
