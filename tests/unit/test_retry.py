"""Backoff, Retry-After and the client's settings: pure functions."""

from __future__ import annotations

import random

import pytest

from crucible.retry import RetryPolicy, parse_retry_after
from crucible.settings import DEFAULT_URL, client_settings


def test_backoff_grows_with_full_jitter_up_to_its_cap() -> None:
    policy = RetryPolicy(backoff_s=1.0, max_backoff_s=8.0)
    rng = random.Random(0)
    for attempt, bound in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = [policy.delay(attempt, rng=rng) for _ in range(200)]
        assert all(0 <= d <= bound for d in delays)
        assert max(delays) > bound * 0.8, "spread over the whole range"


def test_retry_after_is_honoured_up_to_its_cap_and_spread() -> None:
    exact = RetryPolicy(max_retry_after_s=60, retry_after_spread=0)
    assert exact.delay(1, retry_after_s=5) == 5
    assert exact.delay(1, retry_after_s=600) == 60
    spread = RetryPolicy(max_retry_after_s=60, retry_after_spread=0.5)
    rng = random.Random(0)
    waits = [spread.delay(1, retry_after_s=4, rng=rng) for _ in range(200)]
    assert all(4 <= w <= 6 for w in waits), "never sooner than asked, at most half as late"
    assert max(waits) - min(waits) > 1.5, "clients refused together come back apart"


def test_retry_after_header_forms() -> None:
    assert parse_retry_after("5") == 5
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    date = "Wed, 21 Oct 2015 07:28:10 GMT"
    assert parse_retry_after(date, now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after(date, now=1445412500.0) == 0.0


def test_a_policy_needs_one_attempt() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)


def test_client_settings_come_from_the_environment_once() -> None:
    settings = client_settings({"CRUCIBLE_URL": "http://g:8000", "CRUCIBLE_API_TOKEN": "t0k"})
    assert settings.url == "http://g:8000" and settings.token == "t0k"
    assert "t0k" not in repr(settings)
    assert client_settings({}).url == DEFAULT_URL and client_settings({}).token is None
