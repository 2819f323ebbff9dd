"""Long-poll: wait until enough of a set of content keys have results, or time is up.

A worker publishes a content key only once its result is stored, so a published key is
known to be done without reading it: announced keys are read together, in one round trip,
once they make the request's `enough` (or its time is up).  A batch of thousands then costs a
few reads, not one per result.  Reading everything still outstanding on every resync (a
missed message, a reconnect) keeps this correct when a message is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Set

from service.notify import RESYNC_S, Notifier
from service.store import GatewayStore


async def collect(
    store: GatewayStore,
    notifier: Notifier,
    pending: dict[str, str],
    known: dict[str, bytes],
    *,
    enough: Callable[[Set[str]], bool],
    timeout: float,
) -> dict[str, bytes]:
    """Add results to `known` (content key -> JSON) for the `pending` keys (content key ->
    result key) until `enough(keys done)` or `timeout` seconds pass; return `known`."""
    pending = {k: v for k, v in pending.items() if k not in known}
    announced: dict[str, str] = {}  # published as done, not read yet
    deadline = time.monotonic() + timeout
    with notifier.watch(pending) as watch:
        await _read(store, pending, known, list(pending))  # after watching: nothing slips by
        while pending or announced:
            remaining = deadline - time.monotonic()
            if not pending or remaining <= 0 or enough(known.keys() | announced.keys()):
                await _read(store, announced, known, list(announced))
                pending.update(announced)  # announced but unreadable (expired): not done
                announced.clear()
                if not pending or remaining <= 0 or enough(known.keys()):
                    break
                continue
            fired, resync = await watch.next(min(remaining, RESYNC_S))
            if resync or not fired:
                pending.update(announced)
                announced.clear()
                await _read(store, pending, known, list(pending))
            else:
                for key in fired:
                    if key in pending:
                        announced[key] = pending.pop(key)
    return known


async def _read(
    store: GatewayStore, pending: dict[str, str], known: dict[str, bytes], keys: list[str]
) -> None:
    values = await store.values([pending[k] for k in keys])
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            known[key] = value
            del pending[key]
