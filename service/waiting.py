"""Long-poll: wait until enough of a set of content keys have results, or time is up."""

from __future__ import annotations

import time
from collections.abc import Callable

from service.notify import RESYNC_S, Notifier
from service.store import GatewayStore


async def collect(
    store: GatewayStore,
    notifier: Notifier,
    pending: dict[str, str],
    known: dict[str, bytes],
    *,
    enough: Callable[[dict[str, bytes]], bool],
    timeout: float,
) -> dict[str, bytes]:
    """Add results to `known` (content key -> JSON) for the `pending` keys (content key ->
    result key) until `enough(known)` or `timeout` seconds pass; return `known`."""
    pending = {k: v for k, v in pending.items() if k not in known}
    deadline = time.monotonic() + timeout
    with notifier.watch(pending) as watch:
        await _read(store, pending, known, list(pending))  # after watching: nothing slips by
        while pending and not enough(known):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            fired, resync = await watch.next(min(remaining, RESYNC_S))
            wanted = list(pending) if resync or not fired else [k for k in fired if k in pending]
            await _read(store, pending, known, wanted)
    return known


async def _read(
    store: GatewayStore, pending: dict[str, str], known: dict[str, bytes], keys: list[str]
) -> None:
    values = await store.values([pending[k] for k in keys])
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            known[key] = value
            del pending[key]
