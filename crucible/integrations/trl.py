"""TRL GRPOTrainer reward functions: every completion graded against its row's tests.

    from crucible.integrations.trl import CrucibleReward
    trainer = GRPOTrainer(model=..., reward_funcs=CrucibleReward(), train_dataset=dataset)

TRL calls a reward function with `prompts=`, `completions=`, `completion_ids=` and every
other dataset column as a keyword (one value per completion), and takes back one float or
None per completion; None means "no reward" and TRL leaves that completion out of its
group's baseline.  The dataset needs a tests column (`tests_column`, default "tests"): a
Crucible test set or any DeepCoder tests shape; LiveCodeBench's function name is read from a
`metadata` column.  `AsyncCrucibleReward` is the same as an `async` reward function (TRL runs
those on its own event loop, beside other reward functions).

Both are callable classes, not closures, so TRL can pickle them into a spawned rollout
worker; the client is made again there, lazily.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from crucible.client import AsyncRewardClient, RewardClient
from crucible.grading import OnError
from crucible.integrations.rollouts import Grading, TestSets, completion_text, fn_name_of
from crucible.schema import Comparator, Language, Limits, Policy, RewardResult, Submission

log = logging.getLogger(__name__)


class _Base:
    __name__ = "crucible"

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        tests_column: str = "tests",
        on_error: OnError = "none",
        dense: bool = False,
        limits: Limits | None = None,
        policy: Policy | None = None,
        comparator: Comparator | str | None = None,
        language: Language | str = Language.python,
        standard: str | None = None,
        progress: bool = False,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.token = token
        self.tests_column = tests_column
        self.on_error: OnError = on_error
        self.grading = Grading.of(
            limits=limits,
            policy=policy,
            comparator=comparator,
            dense=dense,
            language=language,
            standard=standard,
        )
        self.client_options = {"progress": progress, **(client_options or {})}
        self.testsets = TestSets()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_client", None)  # threads and sockets do not pickle; made again on use
        return state

    def _submissions(self, completions: Sequence[Any], columns: dict[str, Any]) -> list[Submission]:
        if self.tests_column not in columns:
            raise KeyError(
                f"the dataset has no {self.tests_column!r} column for Crucible's tests;"
                f" columns given: {sorted(columns)}"
            )
        tests = columns[self.tests_column]
        metadata = columns.get("metadata") or [None] * len(completions)
        names = columns.get("fn_name") or [None] * len(completions)
        languages = columns.get("language") or [None] * len(completions)
        return [
            self.grading.submission(
                completion_text(completion),
                self.testsets.get(test, fn_name=name or fn_name_of(meta)),
                language=language,
            )
            for completion, test, meta, name, language in zip(
                completions, tests, metadata, names, languages, strict=True
            )
        ]

    def _rewards(
        self, results: Sequence[RewardResult | None], columns: dict[str, Any]
    ) -> list[float | None]:
        rewards = [self.grading.reward(r) for r in results]
        log_metric: Callable[[str, float], None] | None = columns.get("log_metric")
        if log_metric is not None and results:
            graded = [r for r in results if r is not None]
            log_metric("crucible/ungraded", (len(results) - len(graded)) / len(results))
            fractions = [r.pass_fraction or 0.0 for r in graded]
            if fractions:
                log_metric("crucible/pass_fraction", sum(fractions) / len(fractions))
        return rewards


class CrucibleReward(_Base):
    """A synchronous TRL reward function (see the module's docstring)."""

    def __call__(
        self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **columns: Any
    ) -> list[float | None]:
        subs = self._submissions(completions, columns)
        results = self.client.grade_many(subs, on_error=self.on_error)
        return self._rewards(results, columns)

    @property
    def client(self) -> RewardClient:
        client: RewardClient | None = self.__dict__.get("_client")
        if client is None:
            client = RewardClient(self.url, token=self.token, **self.client_options)
            self.__dict__["_client"] = client
        return client


class AsyncCrucibleReward(_Base):
    """An `async` TRL reward function (see the module's docstring)."""

    async def __call__(
        self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **columns: Any
    ) -> list[float | None]:
        subs = self._submissions(completions, columns)
        results = await self.client().grade_many(subs, on_error=self.on_error)
        return self._rewards(results, columns)

    def client(self) -> AsyncRewardClient:
        """The client for the running event loop (TRL keeps one loop for async rewards)."""
        loop = asyncio.get_running_loop()
        held: tuple[asyncio.AbstractEventLoop, AsyncRewardClient] | None = self.__dict__.get(
            "_client"
        )
        if held is None or held[0] is not loop:
            held = (loop, AsyncRewardClient(self.url, token=self.token, **self.client_options))
            self.__dict__["_client"] = held
        return held[1]
