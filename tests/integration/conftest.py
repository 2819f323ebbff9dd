"""Fixtures for integration tests: a real judge on real nsjail.  Missing nsjail fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crucible.schema import RewardResult, Submission
from workers.jail import nsjail_binary
from workers.judge import Judge

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

Grade = Callable[..., RewardResult]


@pytest.fixture(scope="session")
def judge() -> Judge:
    judge = Judge()
    nsjail_binary(judge.settings)  # raises, failing the test, when nsjail is missing
    return judge


@pytest.fixture(scope="session")
def grade(judge: Judge) -> Grade:
    """grade(code, tests, **submission_fields) -> RewardResult, raising on judge faults."""

    def _grade(code: str, tests: Any, **fields: Any) -> RewardResult:
        return judge.grade(Submission(code=code, tests=tests, **fields))

    return _grade


@pytest.fixture(scope="session")
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.fail(f"shared datasets not found at {DATASETS}")
    return DATASETS
