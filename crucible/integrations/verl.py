"""verl `custom_reward_function`s: rollouts graded against `reward_model.ground_truth`.

    custom_reward_function.path=$(python -m crucible.integrations.verl)   # this file's path
    custom_reward_function.name=compute_score_batch  # with reward_model.reward_manager=batch
    +custom_reward_function.reward_kwargs.url=http://crucible:8000

verl's naive and prime managers call `compute_score(data_source, solution_str,
ground_truth, extra_info)` once per rollout; the batch manager calls
`compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos)` once per step,
which grades the whole step concurrently (use it).  `ground_truth` is a Crucible test set or
any DeepCoder tests shape (verl's code datasets store `{"inputs", "outputs", "fn_name"?}` as
JSON).  Each score is a dict: `score` (the reward), `pass_fraction` and `no_code`, which verl
logs as reward_extra_info.

verl has no "no reward": a judge fault raises JudgeFault, so the step fails loudly instead of
learning from a made-up 0.  Keyword arguments come from `reward_kwargs`: `url`, `token`,
`limits`, `policy`, `comparator` (mappings, as in YAML), `dense`, `deadline_s`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from crucible.client import RewardClient
from crucible.integrations.rollouts import Grading, TestSets, fn_name_of, plain
from crucible.schema import RewardResult, Verdict

_lock = threading.Lock()
_clients: dict[tuple[int, str | None, str | None], RewardClient] = {}
_testsets = TestSets()


def compute_score(
    data_source: str | None = None,
    solution_str: str = "",
    ground_truth: Any = None,
    extra_info: Any = None,
    **options: Any,
) -> dict[str, float]:
    """One rollout's score (verl's naive and prime reward managers)."""
    (score,) = compute_score_batch(
        data_sources=[data_source],
        solution_strs=[solution_str],
        ground_truths=[ground_truth],
        extra_infos=[extra_info],
        **options,
    )
    return score


def compute_score_batch(
    data_sources: Sequence[str | None] | None = None,
    solution_strs: Sequence[str] = (),
    ground_truths: Sequence[Any] = (),
    extra_infos: Sequence[Any] | None = None,
    *,
    url: str | None = None,
    token: str | None = None,
    limits: Mapping[str, Any] | None = None,
    policy: Mapping[str, Any] | None = None,
    comparator: Mapping[str, Any] | str | None = None,
    dense: bool = False,
    deadline_s: float | None = None,
    language: str = "python",
    standard: str | None = None,
    **_: Any,
) -> list[dict[str, float]]:
    """A step's scores, in order (verl's batch reward manager).  `language` is the run's;
    a row's `extra_info["language"]` overrides it."""
    grading = Grading.of(
        limits=limits,
        policy=policy,
        comparator=comparator,
        dense=dense,
        language=language,
        standard=standard,
    )
    extras = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    submissions = [
        grading.submission(
            text,
            _testsets.get(truth, fn_name=_fn_name(truth, extra)),
            language=_language(extra),
        )
        for text, truth, extra in zip(solution_strs, ground_truths, extras, strict=True)
    ]
    results = _client(url, token).grade_many(submissions, deadline_s=deadline_s)
    return [_score(grading, result) for result in results]


def _fn_name(truth: Any, extra: Any) -> str | None:
    extra = plain(extra)
    if isinstance(extra, Mapping):
        return fn_name_of(extra.get("metadata")) or fn_name_of(extra)
    return None


def _language(extra: Any) -> str | None:
    extra = plain(extra)
    language = extra.get("language") if isinstance(extra, Mapping) else None
    return language if isinstance(language, str) and language else None


def _score(grading: Grading, result: RewardResult) -> dict[str, float]:
    reward = grading.reward(result)
    assert reward is not None  # on_error="raise": a fault raised before this
    return {
        "score": reward,
        "pass_fraction": float(result.pass_fraction or 0.0),
        "no_code": float(result.verdict == Verdict.no_code),
    }


def _client(url: str | None, token: str | None) -> RewardClient:
    """One client per process and gateway: verl may call from Ray workers and forks."""
    key = (os.getpid(), url, token)
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = RewardClient(url, token=token, progress=False)
        return client


if __name__ == "__main__":  # print this file's path, for custom_reward_function.path
    print(os.path.abspath(__file__))
