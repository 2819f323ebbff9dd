"""The gateway's one owner of rq: enqueue QueuedJobs by dotted task name, never importing
workers/.  rq speaks synchronous Redis, so calls run in a worker thread (anyio) and Redis
errors become RedisUnavailable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import anyio.to_thread
import redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from server import contract as c
from server.contract import QueuedJob
from service.errors import RedisUnavailable
from service.settings import GatewaySettings

QUEUE_KEY = f"{Queue.redis_queue_namespace_prefix}{c.QUEUE}"
# KEYS: deadlines.  ARGV: queue grace, then content keys.  Moves each claimed job's deadline
# (still there: XX) from its claim's short grace to the queue's.
_QUEUED = """
local t = redis.call('TIME')
local deadline = t[1] + t[2] / 1e6 + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i]) end
return #ARGV - 1
"""
SOCKET_TIMEOUT_S = 10.0
QUEUED_CHUNK = 500


class JobQueue:
    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.connection = settings.sync_client(socket_timeout=SOCKET_TIMEOUT_S)
        self.queue = Queue(c.QUEUE, connection=self.connection, serializer=JSONSerializer)

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (redis.RedisError, OSError) as exc:
            raise RedisUnavailable(
                f"redis is unavailable: {exc}",
                headers={"Retry-After": str(self.settings.retry_after_s)},
            ) from exc

    async def enqueue(self, jobs: Sequence[QueuedJob]) -> None:
        await anyio.to_thread.run_sync(self._enqueue, jobs)

    def _enqueue(self, jobs: Sequence[QueuedJob]) -> None:
        data = [Queue.prepare_data(job.task, **c.rq_call(job)) for job in jobs]
        with self._translated(), self.connection.pipeline() as pipe:
            self.queue.enqueue_many(data, pipeline=pipe)
            # In the same transaction: a job is on the queue exactly when its clock says so.
            keys = [job.key for job in jobs]
            for start in range(0, len(keys), QUEUED_CHUNK):  # short scripts
                chunk = keys[start : start + QUEUED_CHUNK]
                pipe.eval(_QUEUED, 1, c.DEADLINES, self.settings.queue_grace_s, *chunk)
            pipe.execute()

    async def oldest_age_s(self) -> float:
        """Seconds the job at the head of the queue has waited (0 when empty)."""
        return await anyio.to_thread.run_sync(self._oldest_age_s)

    def _oldest_age_s(self) -> float:
        with self._translated():
            ids = self.queue.get_job_ids(0, 1)
            if not ids:
                return 0.0
            try:
                job = Job.fetch(ids[0], connection=self.connection, serializer=JSONSerializer)
            except NoSuchJobError:
                return 0.0  # taken meanwhile
            if job.enqueued_at is None:
                return 0.0
            seconds, micros = self.connection.time()
            return max(0.0, seconds + micros / 1e6 - job.enqueued_at.timestamp())

    def close(self) -> None:
        self.connection.close()
