"""LeanWorker (workers/queue/worker.py) on a real Redis: rq's queue contract, two writes per job."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from rq import Queue, get_current_job
from rq.job import Job, JobStatus
from rq.results import Result
from rq.serializers import JSONSerializer

from server.stack import RedisServer
from workers.queue.worker import INTERMEDIATE_KEY, make_worker

pytestmark = pytest.mark.integration
RAN: list[str] = []


def succeed(word: str) -> None:
    RAN.append(word)


def fail(word: str) -> None:
    raise ValueError(f"refused {word}")


TTLS: list[int] = []


def record_ttl(worker: str) -> None:
    """What the worker's own record has left to live while this job runs."""
    connection = get_current_job().connection  # type: ignore[union-attr]
    TTLS.append(int(connection.ttl(f"rq:worker:{worker}")))


LISTED: list[bool] = []


def where_am_i(_: str) -> None:
    job = get_current_job()
    assert job is not None
    LISTED.append(job.connection.lpos(INTERMEDIATE_KEY, job.id) is not None)


def hang(seconds: float) -> None:
    time.sleep(seconds)


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A Redis of this module's own: the session's serves live workers on the same queue."""
    server = RedisServer(data_dir=tmp_path_factory.mktemp("queue-redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def connection(own_redis: RedisServer) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(own_redis.url)
    connection.flushdb()
    RAN.clear()
    TTLS.clear()
    LISTED.clear()
    yield connection
    connection.flushdb()
    connection.close()


def exc_info(job: Job) -> str:
    """The traceback rq keeps with a failed job's latest result."""
    result = job.latest_result()
    assert result is not None and result.type == Result.Type.FAILED
    return result.exc_string or ""


def run(connection: redis.Redis, task: str, arg: object, *, timeout: int = 30) -> tuple[Job, Queue]:
    queue = Queue("crucible", connection=connection, serializer=JSONSerializer)
    job = queue.enqueue_call(task, args=(arg,), timeout=timeout, result_ttl=0)
    make_worker(connection, name="test.1").work(burst=True, logging_level="WARNING")
    return job, queue


def test_a_finished_job_leaves_no_rq_records(connection: redis.Redis) -> None:
    job, queue = run(connection, f"{__name__}.succeed", "hello")
    assert RAN == ["hello"]
    assert not connection.exists(job.key)  # the result lives in crucible's own keys
    assert connection.llen(queue.key) == 0
    assert connection.llen(queue.intermediate_queue_key) == 0
    assert queue.started_job_registry.get_job_ids() == []
    assert queue.failed_job_registry.get_job_ids() == []


def test_the_worker_record_outlives_a_job_longer_than_its_ttl(connection: redis.Redis) -> None:
    queue = Queue("crucible", connection=connection, serializer=JSONSerializer)
    queue.enqueue_call(f"{__name__}.record_ttl", args=("test.1",), timeout=500, result_ttl=0)
    make_worker(connection, name="test.1").work(burst=True, logging_level="WARNING")
    assert len(TTLS) == 1 and TTLS[0] > 500  # the job's timeout, and rq's minute on top


def test_a_job_stays_where_the_reaper_looks_until_its_task_takes_the_lease(
    connection: redis.Redis,
) -> None:
    """Off the queue but not yet leased, a job is on rq's intermediate list (the reaper's
    `taken_not_started`), so a worker lost in that window cannot strand it."""
    job, _ = run(connection, f"{__name__}.where_am_i", "x")
    assert LISTED == [True]  # during the task (a crucible task's begin takes it off)
    assert connection.lpos(INTERMEDIATE_KEY, job.id) is None  # and off once it is done


def test_a_job_that_raises_is_filed_as_failed_and_the_worker_goes_on(
    connection: redis.Redis,
) -> None:
    queue = Queue("crucible", connection=connection, serializer=JSONSerializer)
    bad = queue.enqueue_call(f"{__name__}.fail", args=("this",), result_ttl=0)
    good = queue.enqueue_call(f"{__name__}.succeed", args=("after",), result_ttl=0)
    make_worker(connection, name="test.1").work(burst=True, logging_level="WARNING")
    assert RAN == ["after"]  # the failure did not stop the worker
    assert queue.failed_job_registry.get_job_ids() == [bad.id]
    failed = Job.fetch(bad.id, connection=connection, serializer=JSONSerializer)
    assert failed.get_status() == JobStatus.FAILED
    assert "ValueError: refused this" in exc_info(failed)
    assert not connection.exists(good.key)
    # The failed one is left where the reaper looks (it never took a lease), the other not.
    listed = connection.lrange(queue.intermediate_queue_key, 0, -1)
    assert listed == [bad.id.encode()]


def test_a_job_over_its_timeout_is_stopped_by_the_death_penalty(connection: redis.Redis) -> None:
    started = time.monotonic()
    job, queue = run(connection, f"{__name__}.hang", 30, timeout=1)
    assert time.monotonic() - started < 15
    assert queue.failed_job_registry.get_job_ids() == [job.id]
    failed = Job.fetch(job.id, connection=connection, serializer=JSONSerializer)
    assert "JobTimeoutException" in exc_info(failed)


def test_a_worker_exits_at_once_when_its_listener_reads_the_unsubscribe_first(
    connection: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine redis-py's listener thread could read the unsubscribe reply before
    rq stopped it, then wait out a 60 s subscription wait that the exit joined.  The delay
    after unsubscribing gives the thread that head start every time."""
    worker = make_worker(connection, name="test.1")
    subscribe = worker.subscribe

    def subscribe_then_slow_unsubscribe() -> None:
        subscribe()
        unsubscribe = worker.pubsub.unsubscribe

        def slow(*args: object) -> None:
            unsubscribe(*args)
            time.sleep(0.5)  # the listener reads the reply meanwhile

        monkeypatch.setattr(worker.pubsub, "unsubscribe", slow)

    monkeypatch.setattr(worker, "subscribe", subscribe_then_slow_unsubscribe)
    started = time.monotonic()
    worker.work(burst=True, logging_level="WARNING")
    assert time.monotonic() - started < 10
    assert worker.pubsub_thread is not None and not worker.pubsub_thread.is_alive()
