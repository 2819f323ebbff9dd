"""An rLLM-style reward function: `(task_info, action) -> RewardOutput`.

rLLM's `RewardFunction` protocol takes the task's dict (`ground_truth` holding the tests,
`data_source`, optional `metadata`) and the agent's answer (a string, or an Action with
`.action`), and returns an object with `reward`, `is_correct` and `metadata`.  This one
returns `RewardOutput` below, which has exactly those fields.  It is thread-safe (rLLM's
engines score trajectories from many threads), and `submit` / `collect` let a loop grade
one step's trajectories while it generates the next.  A judge fault raises JudgeFault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crucible.client import Pending, RewardClient
from crucible.errors import JudgeFault
from crucible.integrations.rollouts import Grading, TestSets, completion_text, fn_name_of
from crucible.schema import Comparator, Language, Limits, Policy, RewardResult, Submission


@dataclass(slots=True, kw_only=True)
class RewardOutput:
    reward: float
    is_correct: bool
    metadata: dict[str, Any] = field(default_factory=dict)


class CrucibleRewardFn:
    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        tests_key: str = "ground_truth",
        dense: bool = False,
        limits: Limits | None = None,
        policy: Policy | None = None,
        comparator: Comparator | str | None = None,
        language: Language | str = Language.python,
        standard: str | None = None,
        client: RewardClient | None = None,
    ) -> None:
        self.tests_key = tests_key
        self.grading = Grading.of(
            limits=limits,
            policy=policy,
            comparator=comparator,
            dense=dense,
            language=language,
            standard=standard,
        )
        self.client = client or RewardClient(url, token=token, progress=False)
        self.testsets = TestSets()

    def __call__(self, task_info: Mapping[str, Any], action: Any) -> RewardOutput:
        return self.output(self.client.grade(self.submission(task_info, action)))

    def submit(self, tasks: Sequence[tuple[Mapping[str, Any], Any]]) -> Pending[RewardResult]:
        """Start grading (task_info, action) pairs; `collect` the pending result later."""
        return self.client.submit([self.submission(info, action) for info, action in tasks])

    def collect(
        self, pending: Pending[RewardResult] | Sequence[Pending[RewardResult]]
    ) -> list[RewardOutput]:
        return [self.output(result) for result in self.client.collect(pending)]

    def submission(self, task_info: Mapping[str, Any], action: Any) -> Submission:
        tests = task_info.get(self.tests_key, task_info.get("tests"))
        if tests is None:
            raise KeyError(f"the task has no {self.tests_key!r} (or 'tests') to grade against")
        name = fn_name_of(task_info.get("metadata")) or fn_name_of(task_info)
        return self.grading.submission(
            completion_text(action),
            self.testsets.get(tests, fn_name=name),
            language=task_info.get("language"),
        )

    def output(self, result: RewardResult) -> RewardOutput:
        reward = self.grading.reward(result)
        if reward is None:  # grade() raises on faults; never let one become a 0
            raise JudgeFault(0, result.error)
        verdict = result.verdict.value if result.verdict else None
        metadata = {"verdict": verdict, "pass_fraction": result.pass_fraction}
        return RewardOutput(reward=reward, is_correct=result.reward == 1, metadata=metadata)

    def close(self) -> None:
        self.client.close()
