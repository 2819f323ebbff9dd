"""When to try a request again and how long to wait first: exponential backoff with full
jitter, or what the gateway's Retry-After asks for, spread a little.  Pure: no clocks, no I/O.

Two kinds of refusal are told apart.  A failure (a dropped connection, a 5xx, Redis away) is
tried `attempts` times.  Backpressure (429 `queue_full`: the gateway is well, its queue is
long) is not a failure: it is waited out, Retry-After by Retry-After, for up to
`backpressure_s` in all (and never past the call's deadline), however many refusals that
takes, so a long backlog slows a trainer down without failing its step."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`attempts` tries in all for one request that keeps failing (1: never retry), and
    `backpressure_s` of waiting in all while the gateway's queue is full.

    Waits grow as base * 2**n up to `max_backoff_s`, each drawn uniformly below that bound
    (full jitter: a thousand trainers' ranks do not come back in step).  A Retry-After
    header is honoured, up to `max_retry_after_s`, and stretched by up to
    `retry_after_spread` of itself, so clients refused together do not return together.
    """

    attempts: int = 8
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0
    backpressure_s: float = 3600.0
    retry_after_spread: float = 0.5

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        waits = (
            self.backoff_s,
            self.max_backoff_s,
            self.max_retry_after_s,
            self.backpressure_s,
            self.retry_after_spread,
        )
        if min(waits) < 0:
            raise ValueError("waits must not be negative")

    def delay(
        self, attempt: int, *, retry_after_s: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait before try `attempt + 1`, after try `attempt` (from 1) failed."""
        if retry_after_s is not None:
            asked = min(max(retry_after_s, 0.0), self.max_retry_after_s)
            return asked * (1 + (rng or random).uniform(0, self.retry_after_spread))
        bound = min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))
        return (rng or random).uniform(0, bound)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


DEFAULT_RETRY = RetryPolicy()
