"""Crucible: sandboxed code-execution rewards for reinforcement learning on code.

`RewardClient` and `AsyncRewardClient` load on first use, so the gateway and workers,
which import the schema from here, never import httpx for them.
"""

from typing import TYPE_CHECKING, Any

from crucible.schema import (
    AssertTestSet,
    CallCase,
    CallTestSet,
    Comparator,
    Limits,
    Policy,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    TestResult,
    Verdict,
)

if TYPE_CHECKING:
    from crucible.client import AsyncRewardClient, RewardClient

__all__ = [
    "AssertTestSet",
    "AsyncRewardClient",
    "CallCase",
    "CallTestSet",
    "Comparator",
    "Limits",
    "Policy",
    "RewardClient",
    "RewardResult",
    "StdioCase",
    "StdioTestSet",
    "Submission",
    "TestResult",
    "Verdict",
]


def __getattr__(name: str) -> Any:
    if name in ("RewardClient", "AsyncRewardClient"):
        from crucible import client

        return getattr(client, name)
    raise AttributeError(f"module 'crucible' has no attribute {name!r}")
