"""Crucible: sandboxed code-execution rewards for reinforcement learning on code."""

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

__all__ = [
    "AssertTestSet",
    "CallCase",
    "CallTestSet",
    "Comparator",
    "Limits",
    "Policy",
    "RewardResult",
    "StdioCase",
    "StdioTestSet",
    "Submission",
    "TestResult",
    "Verdict",
]
