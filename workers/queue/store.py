"""The workers' one owner of Redis (besides rq itself): leases, results, test sets, liveness.

Key layout in server/contract.py.  Every multi-key change is one Lua script or one MULTI,
so a worker killed between two commands never leaves half a state.  Deadlines use Redis's
clock (TIME), so machines with skewed clocks agree on when a lease lapsed.  Redis errors
become StoreUnavailable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import redis
from redis.commands.core import Script

from crucible.schema import ErrorBody
from server import contract as c
from workers.judge.errors import StoreUnavailable
from workers.queue.settings import WorkerSettings

SOCKET_TIMEOUT_S = 5.0
DEAD_WORKER_FORGET_S = 3600
BUSY, DONE = -2, -1

# KEYS: result, lease, attempts, deadlines, job, the list the job was taken onto.
# ARGV: token, lease_ms, key, attempts_ttl_s.  Takes the job off that list (rq's intermediate
# list: until now a lost worker left it there for the reaper), then returns DONE when the
# result exists, BUSY when another worker holds the lease, else the attempt number this is.
_BEGIN = """
redis.call('LREM', KEYS[6], 1, ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return -2 end
local n = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[4])
local t = redis.call('TIME')
redis.call('ZADD', KEYS[4], t[1] + t[2] / 1e6 + ARGV[2] / 1000, ARGV[3])
return n
"""
# KEYS: lease, deadlines.  ARGV: token, lease_ms, key.  1 while the lease is still ours.
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local t = redis.call('TIME')
redis.call('ZADD', KEYS[2], 'XX', t[1] + t[2] / 1e6 + ARGV[2] / 1000, ARGV[3])
return 1
"""
# KEYS: lease, last error, deadlines, job.  ARGV: token, error JSON, key, ttl.
# Gives the job back now: the reaper runs it again (or gives up) on its next pass.
_RELEASE = """
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('ZADD', KEYS[3], 0, ARGV[3]) end
return 1
"""


@dataclass(frozen=True, slots=True)
class Begun:
    """Outcome of trying to start a job: `attempt` >= 1 when this worker now holds it."""

    attempt: int

    @property
    def done(self) -> bool:
        return self.attempt == DONE

    @property
    def busy(self) -> bool:
        return self.attempt == BUSY


@dataclass(frozen=True, slots=True)
class JobFacts:
    """What Redis knows about one content key, read in one round trip."""

    job: bytes | None
    has_result: bool
    lease_left_s: float
    attempts: int
    last_error: ErrorBody | None


@contextlib.contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except (redis.RedisError, OSError) as exc:
        raise StoreUnavailable(f"redis: {exc}") from exc


def connect(
    settings: WorkerSettings, *, socket_timeout: float | None = SOCKET_TIMEOUT_S
) -> redis.Redis:
    return settings.sync_client(socket_timeout=socket_timeout)


class WorkerStore:
    def __init__(self, connection: redis.Redis, settings: WorkerSettings) -> None:
        self.redis = connection
        self.settings = settings
        self._lease_ms = int(settings.lease_ttl_s * 1000)
        self._begin: Script = connection.register_script(_BEGIN)
        self._renew: Script = connection.register_script(_RENEW)
        self._release: Script = connection.register_script(_RELEASE)

    # -- one job --------------------------------------------------------------------------
    def begin(self, key: str, *, result_key: str, token: str, taken_from: str) -> Begun:
        """Take the job's lease; `taken_from` is the list its dequeue put it on."""
        keys = [result_key, c.lease_key(key), c.attempts_key(key), c.DEADLINES, c.job_key(key)]
        keys.append(taken_from)
        args: list[str | int] = [token, self._lease_ms, key, self.settings.result_ttl_s]
        with translated():
            return Begun(int(self._begin(keys=keys, args=args)))

    def renew(self, key: str, token: str) -> bool:
        with translated():
            return bool(
                self._renew(keys=[c.lease_key(key), c.DEADLINES], args=[token, self._lease_ms, key])
            )

    def finish(self, key: str, *, result_key: str, result_json: str) -> None:
        """Store the result, forget the job and tell every waiting gateway.  (A MULTI: in
        Redis a script costs several times the same writes, and nothing here is conditional.)"""
        with translated(), self.redis.pipeline(transaction=True) as pipe:
            pipe.set(result_key, result_json, ex=self.settings.result_ttl_s)
            pipe.delete(c.job_key(key), c.lease_key(key), c.last_error_key(key))
            pipe.zrem(c.DEADLINES, key)
            pipe.publish(c.DONE_CHANNEL, key)
            pipe.execute()

    def release(self, key: str, *, token: str, error: ErrorBody) -> None:
        keys = [c.lease_key(key), c.last_error_key(key), c.DEADLINES, c.job_key(key)]
        args: list[str | int] = [token, error.model_dump_json(), key, self.settings.result_ttl_s]
        with translated():
            self._release(keys=keys, args=args)

    def forget(self, key: str) -> None:
        """Drop the bookkeeping of a job whose result is already stored."""
        with translated(), self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(c.job_key(key))
            pipe.zrem(c.DEADLINES, key)
            pipe.execute()

    def testset(self, sha256: str) -> bytes | None:
        with translated():
            return cast(bytes | None, self.redis.get(c.testset_key(sha256)))

    # -- what the reaper needs ------------------------------------------------------------
    def now(self) -> float:
        with translated():
            seconds, micros = self.redis.time()
            return float(seconds) + micros / 1e6

    def try_reaper_lock(self, token: str, hold_s: float) -> bool:
        with translated():
            return bool(self.redis.set(c.REAPER_LOCK, token, nx=True, px=int(hold_s * 1000)))

    def lapsed(self, now: float, limit: int) -> list[str]:
        with translated():
            raw = self.redis.zrangebyscore(c.DEADLINES, "-inf", now, start=0, num=limit)
        return [k.decode() for k in cast(list[bytes], raw)]

    def take_lapsed(self, key: str, now: float) -> bool:
        """Remove `key` from the deadlines if it is still lapsed; True for the one who did."""
        with translated():
            score = self.redis.zscore(c.DEADLINES, key)
            return score is not None and score <= now and bool(self.redis.zrem(c.DEADLINES, key))

    def facts(self, key: str) -> JobFacts:
        with translated(), self.redis.pipeline(transaction=False) as pipe:
            pipe.get(c.job_key(key))
            pipe.exists(c.result_key(key), c.output_key(key))
            pipe.pttl(c.lease_key(key))
            pipe.get(c.attempts_key(key))
            pipe.get(c.last_error_key(key))
            job, results, lease_ms, attempts, error = pipe.execute()
        last = ErrorBody.model_validate_json(error) if error else None
        lease_left = lease_ms / 1000 if lease_ms and lease_ms > 0 else 0.0
        return JobFacts(job, bool(results), lease_left, int(attempts or 0), last)

    def set_deadline(self, key: str, deadline: float) -> None:
        with translated():
            self.redis.zadd(c.DEADLINES, {key: deadline})

    def hasten(self, keys: list[str], deadline: float) -> None:
        """Bring the deadlines of those `keys` still outstanding forward to `deadline`."""
        if keys:
            with translated():
                self.redis.zadd(c.DEADLINES, dict.fromkeys(keys, deadline), xx=True, lt=True)

    # -- liveness -------------------------------------------------------------------------
    def mark_alive(self, worker_id: str) -> None:
        with translated(), self.redis.pipeline(transaction=False) as pipe:
            seconds, _ = self.redis.time()
            pipe.zadd(c.WORKERS, {worker_id: float(seconds)})
            pipe.zremrangebyscore(c.WORKERS, "-inf", float(seconds) - DEAD_WORKER_FORGET_S)
            pipe.execute()

    def mark_gone(self, worker_id: str) -> None:
        with translated():
            self.redis.zrem(c.WORKERS, worker_id)
