"""The gateway's one owner of Redis (asyncio): test sets, claims, results, batches, liveness.

Key layout in server/contract.py.  Redis errors and timeouts become RedisUnavailable
(503 + Retry-After); the connection pool reconnects by itself once Redis is back.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from crucible.schema import JobState
from server import contract as c
from server.contract import QueuedJob
from service.errors import RedisUnavailable
from service.settings import GatewaySettings

SOCKET_TIMEOUT_S = 5.0
CLAIM_CHUNK = 500


def connect(settings: GatewaySettings) -> aioredis.Redis:
    """A client whose pool holds up to `redis_max_connections`; a password in the URL wins
    over CRUCIBLE_REDIS_PASSWORD."""
    return settings.async_client(
        max_connections=settings.redis_max_connections, timeout=SOCKET_TIMEOUT_S
    )


@dataclass(frozen=True, slots=True)
class Lookup:
    named_known: list[bool]
    values: list[bytes | None]
    queue_depth: int


# KEYS: deadlines, then per job: record, attempts, last error, result.
# ARGV: job TTL, queue grace, then per job: content key, record JSON, 1 if its result is stale.
_CLAIM = """
local t = redis.call('TIME')
local deadline = t[1] + t[2] / 1e6 + tonumber(ARGV[2])
local won = {}
for i = 0, (#KEYS - 1) / 4 - 1 do
  local k, a = 2 + 4 * i, 3 + 3 * i
  if redis.call('SET', KEYS[k], ARGV[a + 1], 'NX', 'EX', ARGV[1]) then
    redis.call('ZADD', KEYS[1], deadline, ARGV[a])
    redis.call('DEL', KEYS[k + 1], KEYS[k + 2])
    if ARGV[a + 2] == '1' then redis.call('DEL', KEYS[k + 3]) end
    won[i + 1] = 1
  else
    won[i + 1] = 0
  end
end
return won
"""


class GatewayStore:
    def __init__(self, connection: aioredis.Redis, settings: GatewaySettings) -> None:
        self.redis = connection
        self.settings = settings
        self._claim = connection.register_script(_CLAIM)

    @contextlib.asynccontextmanager
    async def translated(self) -> AsyncIterator[None]:
        try:
            yield
        except (RedisError, OSError) as exc:
            raise RedisUnavailable(
                f"redis is unavailable: {exc}",
                headers={"Retry-After": str(self.settings.retry_after_s)},
            ) from exc

    # -- test sets ------------------------------------------------------------------------
    async def put_testsets(self, testsets: dict[str, bytes]) -> list[bool]:
        """Register each (sha256 -> JSON); True where it was new.  Known ones are refreshed."""
        ttl = self.settings.testset_ttl_s
        async with self.translated(), self.redis.pipeline(transaction=False) as pipe:
            for sha, body in testsets.items():
                pipe.set(c.testset_key(sha), body, nx=True, ex=ttl)
                pipe.expire(c.testset_key(sha), ttl)
            replies = await pipe.execute()
        return [bool(r) for r in replies[::2]]

    async def touch_testsets(self, shas: Sequence[str]) -> list[bool]:
        """Refresh each test set's TTL; False where it is not registered."""
        async with self.translated(), self.redis.pipeline(transaction=False) as pipe:
            for sha in shas:
                pipe.expire(c.testset_key(sha), self.settings.testset_ttl_s)
            return [bool(r) for r in await pipe.execute()]

    async def testset(self, sha: str) -> bytes | None:
        async with self.translated():
            return cast(bytes | None, await self.redis.get(c.testset_key(sha)))

    # -- results and claims ---------------------------------------------------------------
    async def values(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        async with self.translated():
            return cast(list[bytes | None], await self.redis.mget(keys))

    async def lookup(
        self,
        *,
        new_testsets: dict[str, bytes],
        named_testsets: Sequence[str],
        result_keys: Sequence[str],
        queue_key: str,
    ) -> Lookup:
        """One round trip: register new test sets, refresh named ones, read cached results
        and the queue depth."""  # fmt: skip
        ttl = self.settings.testset_ttl_s
        async with self.translated(), self.redis.pipeline(transaction=False) as pipe:
            for sha, body in new_testsets.items():
                pipe.set(c.testset_key(sha), body, nx=True, ex=ttl)
                pipe.expire(c.testset_key(sha), ttl)
            for sha in named_testsets:
                pipe.expire(c.testset_key(sha), ttl)
            if result_keys:
                pipe.mget(result_keys)
            pipe.llen(queue_key)
            replies = await pipe.execute()
        named = replies[2 * len(new_testsets) : 2 * len(new_testsets) + len(named_testsets)]
        values = replies[-2] if result_keys else []
        return Lookup([bool(r) for r in named], list(values), int(replies[-1]))

    async def claim(self, jobs: Sequence[QueuedJob], stale: Sequence[bool]) -> list[bool]:
        """SET NX each job's record and, for those won, start their clocks: True for the jobs
        this request now owns and must enqueue (one script, one round trip)."""
        won: list[bool] = []
        for start in range(0, len(jobs), CLAIM_CHUNK):  # short scripts: Redis stays responsive
            chunk = zip(
                jobs[start : start + CLAIM_CHUNK], stale[start : start + CLAIM_CHUNK], strict=True
            )
            keys: list[str] = [c.DEADLINES]
            # The claim's clock is short; enqueueing (service/queue.py) sets the queue grace.
            args: list[str | int | float] = [self.settings.job_ttl_s, self.settings.claim_grace_s]
            for job, is_stale in chunk:
                keys += [c.job_key(job.key), c.attempts_key(job.key), c.last_error_key(job.key)]
                keys.append(c.outcome_key(job))
                args += [job.key, job.model_dump_json(), int(is_stale)]
            async with self.translated():
                won += [bool(w) for w in await self._claim(keys=keys, args=args)]
        return won

    async def unclaim(self, jobs: Sequence[QueuedJob]) -> None:
        async with self.translated(), self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*(c.job_key(j.key) for j in jobs))
            pipe.zrem(c.DEADLINES, *(j.key for j in jobs))
            await pipe.execute()

    async def state(self, key: str, result_key: str) -> tuple[bytes | None, JobState | None]:
        """The stored result (if any) and where the job stands; None: unknown key."""
        async with self.translated(), self.redis.pipeline(transaction=False) as pipe:
            pipe.get(result_key)
            pipe.exists(c.lease_key(key))
            pipe.exists(c.job_key(key))
            result, leased, queued = await pipe.execute()
        if result is not None:
            return result, JobState.done
        if leased:
            return None, JobState.running
        return None, JobState.queued if queued else None

    # -- batches --------------------------------------------------------------------------
    async def put_batch(self, batch_id: str, keys: Sequence[str]) -> None:
        async with self.translated():
            await self.redis.set(
                c.batch_key(batch_id), json.dumps(list(keys)), ex=self.settings.result_ttl_s
            )

    async def batch(self, batch_id: str) -> list[str] | None:
        async with self.translated():
            raw = await self.redis.get(c.batch_key(batch_id))
        return None if raw is None else list(json.loads(raw))

    # -- health and backpressure ----------------------------------------------------------
    async def queue_depth(self, queue_key: str) -> int:
        async with self.translated():
            return int(await self.redis.llen(queue_key))

    async def live_workers(self) -> int:
        async with self.translated():
            seconds, _ = await self.redis.time()
            return int(await self.redis.zcount(c.WORKERS, seconds - c.WORKER_LIVE_S, "+inf"))
