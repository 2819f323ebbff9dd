"""Long-poll wake-ups: one pub/sub subscription per gateway to the workers' done channel.

A request that waits registers a Watch on its content keys; when a worker publishes a key,
every Watch on it wakes up and re-reads only that key.  Messages can be missed (a reconnect),
so waiters also re-read everything they still miss every RESYNC_S, and on every reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Iterator

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server import contract as c

log = logging.getLogger(__name__)
RESYNC_S = 2.0
MAX_BACKOFF_S = 2.0


class Watch:
    """Keys one request waits for; `fired` collects those published since the last look."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)
        self.fired: set[str] = set()
        self.resync = False
        self.event = asyncio.Event()

    async def next(self, timeout: float) -> tuple[set[str], bool]:
        """Wait up to `timeout` for news: (keys fired, whether to re-read everything)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout)
        self.event.clear()
        fired, self.fired = self.fired, set()
        resync, self.resync = self.resync, False
        return fired, resync


class Notifier:
    def __init__(self, connection: aioredis.Redis) -> None:
        self.redis = connection
        self._watches: dict[str, set[Watch]] = {}
        self.connected = False

    @contextlib.contextmanager
    def watch(self, keys: Iterable[str]) -> Iterator[Watch]:
        watch = Watch(keys)
        for key in watch.keys:
            self._watches.setdefault(key, set()).add(watch)
        try:
            yield watch
        finally:
            for key in watch.keys:
                watchers = self._watches.get(key)
                if watchers is not None:
                    watchers.discard(watch)
                    if not watchers:
                        del self._watches[key]

    async def run(self) -> None:
        """Listen until cancelled, reconnecting with backoff while Redis is away."""
        backoff = 0.1
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(c.DONE_CHANNEL)
                self.connected, backoff = True, 0.1
                self._wake_all()  # anything published while we were away is re-read
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and message.get("type") == "message":
                        self._dispatch(message["data"])
            except (RedisError, OSError) as exc:
                if self.connected:
                    log.warning("done channel lost: %s", exc)
                self.connected = False
                await asyncio.sleep(backoff)
                backoff = min(2 * backoff, MAX_BACKOFF_S)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()

    def _dispatch(self, data: bytes | str) -> None:
        key = data.decode() if isinstance(data, bytes) else data
        for watch in self._watches.get(key, ()):
            watch.fired.add(key)
            watch.event.set()

    def _wake_all(self) -> None:
        for watchers in self._watches.values():
            for watch in watchers:
                watch.resync = True
                watch.event.set()
