"""Rollouts to submissions and results to rewards, shared by every trainer adapter.

A rollout is a model's text and its row's tests.  The program is extracted here, on the
trainer's side (crucible.extract), so a long reasoning trace never crosses the network; a
text with no program is sent as empty code and comes back `no_code`, reward 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter

from crucible.datasets import deepcoder_testset
from crucible.extract import extract_code
from crucible.schema import (
    Comparator,
    Language,
    Limits,
    Policy,
    RewardResult,
    Submission,
    TestSet,
)

_TESTSET: TypeAdapter[TestSet] = TypeAdapter(TestSet)
CACHED_TESTSETS = 4096


@dataclass(frozen=True)
class Grading:
    """How every rollout of a run is graded (the schema's defaults unless given)."""

    limits: Limits = field(default_factory=Limits)
    policy: Policy = field(default_factory=Policy)
    comparator: Comparator = field(default_factory=Comparator)
    dense: bool = False  # reward = pass_fraction instead of the binary reward
    language: Language = Language.python  # a row's own `language` overrides it
    standard: str | None = None

    @classmethod
    def of(
        cls,
        *,
        limits: Limits | Mapping[str, Any] | None = None,
        policy: Policy | Mapping[str, Any] | None = None,
        comparator: Comparator | Mapping[str, Any] | str | None = None,
        dense: bool = False,
        language: Language | str = Language.python,
        standard: str | None = None,
    ) -> Grading:
        """From models, or from plain mappings (a trainer's YAML config)."""
        return cls(
            limits=Limits.model_validate(plain(limits)) if limits is not None else Limits(),
            policy=Policy.model_validate(plain(policy)) if policy is not None else Policy(),
            comparator=Comparator.model_validate(plain(comparator))
            if comparator is not None
            else Comparator(),
            dense=dense,
            language=Language(language),
            standard=standard,
        )

    def submission(
        self, text: str, testset: TestSet, *, language: Language | str | None = None
    ) -> Submission:
        """The rollout's program (its last fenced block in the language, as `extract_code`
        picks it) against `testset`; `language` is the row's own, when it names one."""
        chosen = Language(language) if language else self.language
        return Submission(
            language=chosen,
            standard=self.standard if chosen == self.language else None,
            code=extract_code(text, chosen) or "",
            tests=testset,
            limits=self.limits,
            policy=self.policy,
            comparator=self.comparator,
        )

    def reward(self, result: RewardResult | None) -> float | None:
        if result is None or result.reward is None:
            return None
        return float(result.pass_fraction or 0.0) if self.dense else float(result.reward)


class TestSets:
    """A row's tests column as a test set, each distinct value converted once.

    Accepted: a test set (model, mapping with "kind", or its JSON), or any DeepCoder tests
    shape (LiveCodeBench, TACO/APPS/PrimeIntellect, Codeforces, LeetCode `functional`).
    """

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._seen: dict[str, TestSet] = {}

    def get(self, value: Any, *, fn_name: str | None = None) -> TestSet:
        if isinstance(value, BaseModel):
            return _TESTSET.validate_python(value.model_dump())
        key = value if isinstance(value, str) else json.dumps(plain(value), sort_keys=True)
        key = f"{fn_name or ''}\0{key}"
        testset = self._seen.get(key)
        if testset is None:
            if len(self._seen) >= CACHED_TESTSETS:
                self._seen.clear()
            testset = self._seen[key] = to_testset(value, fn_name=fn_name)
        return testset


def to_testset(value: Any, *, fn_name: str | None = None) -> TestSet:
    data = json.loads(value) if isinstance(value, str) and _looks_like_json(value) else value
    data = plain(data)
    if isinstance(data, Mapping) and data.get("kind") in ("stdio", "call", "assert"):
        return _TESTSET.validate_python(data)
    return deepcoder_testset(data, fn_name=fn_name)


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def fn_name_of(metadata: Any) -> str | None:
    """LiveCodeBench keeps the function's name in the row's metadata (a mapping or JSON)."""
    if isinstance(metadata, str) and _looks_like_json(metadata):
        metadata = json.loads(metadata)
    if isinstance(metadata, Mapping):
        name = metadata.get("func_name") or metadata.get("fn_name")
        return name if isinstance(name, str) and name else None
    return None


def completion_text(completion: Any) -> str:
    """A completion as text: TRL gives a string, or (conversational) a list of messages."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence):
        replies = [m for m in completion if isinstance(m, Mapping)]
        assistant = [m for m in replies if m.get("role", "assistant") == "assistant"]
        if assistant:
            return _content(assistant[-1].get("content"))
    action = getattr(completion, "action", None)  # rLLM's Action
    if isinstance(action, str):
        return action
    raise TypeError(f"cannot read a completion of type {type(completion).__name__}")


def _content(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):  # multimodal parts: [{"type": "text", "text": ...}]
        return "".join(part.get("text", "") for part in content if isinstance(part, Mapping))
    return "" if content is None else str(content)


def plain(value: Any) -> Any:
    """Mappings and sequences (OmegaConf's, numpy's object arrays) as dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, str | bytes) or value is None:
        return value
    if hasattr(value, "tolist"):  # numpy arrays, as verl hands them over
        return plain(value.tolist())
    if isinstance(value, Sequence):
        return [plain(v) for v in value]
    return value
