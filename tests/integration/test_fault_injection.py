"""Fault injection against the local stack, mid-batch: workers SIGKILLed, the gateway killed
and started again, Redis restarted or killed, Redis memory full, the nsjail binary gone.

Each test runs a Redis, a gateway and two worker processes of its own (real nsjail, real
HTTP) and sends a batch whose right rewards are known: slow correct and wrong programs, and
HumanEval rows (read in place) with their canonical and broken solutions.  After each fault:
every acknowledged submission ends with its right reward or with status "error" and an error
code (never a 0 for our fault), a batch has as many results as submissions, and a submission
graded more than once never got two different answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from rq.intermediate_queue import IntermediateQueue

from crucible.client import RewardClient
from crucible.datasets import humaneval_submission, read_jsonl
from crucible.errors import JudgeFault
from crucible.grading import by_reference
from crucible.schema import RewardResult, StdioCase, StdioTestSet, Submission
from server import contract as c
from server.stack import RedisServer
from service.gateway import Intake
from service.queue import QUEUE_KEY
from service.settings import GatewaySettings
from service.store import GatewayStore
from service.store import connect as gateway_redis
from tests.integration.conftest import Gateway, Workers
from tests.integration.test_datasets_judged import HUMANEVAL_BREAKAGE
from workers.judge.jail import nsjail_binary
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

ADD_TESTS = StdioTestSet(
    cases=[StdioCase(input="2 3\n", output="5\n"), StdioCase(input="10 -4\n", output="6\n")]
)
RIGHT = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG = "a, b = map(int, input().split())\nprint(a - b)\n"
PAUSE = "import time\ntime.sleep({seconds})\n"
HUMANEVAL_TASKS = ("HumanEval/0", "HumanEval/2", "HumanEval/4", "HumanEval/7")
WORKER_PROCESSES = 2
BATCH_WAIT_S = 90.0
GATEWAY_ENV = {"CRUCIBLE_RETRY_AFTER_S": "1"}
INTERMEDIATE_KEY = IntermediateQueue.get_intermediate_queue_key(QUEUE_KEY)  # rq's


# -- the batch: programs whose right rewards are known ------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    submission: Submission
    reward: int
    slow: bool

    @property
    def key(self) -> str:
        """The content key the gateway files this submission under."""
        return by_reference([self.submission])[0][0].content_key()


def make_batch(
    tag: str, rows: Sequence[dict[str, Any]], *, slow: int = 10, pause: float = 0.3
) -> list[Case]:
    """`slow` stdio programs (two in three right) that each sleep `pause` s, then each
    HumanEval row's canonical solution (reward 1) and a broken one (reward 0)."""
    cases: list[Case] = []
    for index in range(slow):
        right = index % 3 != 2
        code = PAUSE.format(seconds=pause) + (RIGHT if right else WRONG) + f"# {tag} {index}\n"
        cases.append(Case(Submission(code=code, tests=ADD_TESTS), int(right), slow=True))
    for row in rows:
        canonical = humaneval_submission(row, completion=row["canonical_solution"] + f"# {tag}\n")
        broken = humaneval_submission(
            row,
            completion=row["canonical_solution"]
            + HUMANEVAL_BREAKAGE.format(name=row["entry_point"])
            + f"# {tag}\n",
        )
        cases += [Case(canonical, 1, slow=False), Case(broken, 0, slow=False)]
    return cases


def batch_id(cases: Sequence[Case]) -> str:
    """The gateway's id of a batch of these cases, in this order."""
    return hashlib.sha256("\n".join(case.key for case in cases).encode()).hexdigest()


def batch_body(cases: Sequence[Case]) -> dict[str, Any]:
    return {"submissions": [case.submission.model_dump(mode="json") for case in cases]}


@pytest.fixture(scope="module")
def humaneval_rows(datasets: Path) -> list[dict[str, Any]]:
    wanted = set(HUMANEVAL_TASKS)
    rows = [
        row
        for row in read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz")
        if row["task_id"] in wanted
    ]
    assert len(rows) == len(wanted)
    return rows


# -- what a test watches: every answer stored, the worker processes ----------------------


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def answer(raw: bytes | str) -> tuple[str, int | None]:
    result = RewardResult.model_validate_json(raw)
    return result.status.value, result.reward


class AnswerLog(threading.Thread):
    """Every result a worker stores, read when it is announced on the done channel, so a
    job graded twice shows both of its answers.  Reconnects while Redis is away."""

    def __init__(self, url: str) -> None:
        super().__init__(name="answer-log", daemon=True)
        self.url = url
        self.seen: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                self._listen()
            except (redis.RedisError, OSError, ValueError):
                self._stopped.wait(0.1)

    def _listen(self) -> None:
        connection = redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=1)
        pubsub = connection.pubsub()  # type: ignore[no-untyped-call]
        with contextlib.closing(connection), pubsub:
            pubsub.subscribe(c.DONE_CHANNEL)
            while not self._stopped.is_set():
                message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
                if message is None or message["type"] != "message":
                    continue
                key = text(message["data"])
                raw = connection.get(c.result_key(key))
                if raw is not None:
                    self.seen[key].append(answer(raw))


def children(parent: int) -> set[int]:
    """The live processes whose parent is `parent`."""
    pids: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if int(ppid) == parent and state != "Z":
                pids.add(int(stat.parent.name))
    return pids


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` still running (not gone, not a zombie)."""
    running: set[int] = set()
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                running.add(pid)
    return running


def worker_pids(supervisor_pid: int) -> set[int]:
    """The worker processes `crucible worker` (pid `supervisor_pid`) runs now."""
    return children(supervisor_pid)


@dataclass
class FaultStack:
    server: RedisServer
    gateway: Gateway
    workers: Workers
    answers: AnswerLog
    store: redis.Redis
    gateways: list[Gateway] = field(default_factory=list)

    def wait_stored(self, cases: Sequence[Case], count: int, timeout: float = 60) -> None:
        """Until `count` of the cases have a stored result (the batch is under way)."""
        keys = [c.result_key(case.key) for case in cases]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(v is not None for v in self.store.mget(keys)) >= count:
                return
            time.sleep(0.05)
        pytest.fail(f"fewer than {count} results were stored in {timeout:g} s")

    def wait_batch(self, cases: Sequence[Case], timeout: float = 30) -> None:
        """Until the gateway has acknowledged a batch of these cases."""
        deadline = time.monotonic() + timeout
        while self.store.get(c.batch_key(batch_id(cases))) is None:
            if time.monotonic() > deadline:
                pytest.fail(f"the batch was not acknowledged in {timeout:g} s")
            time.sleep(0.02)

    def stored(self, case: Case) -> RewardResult | None:
        raw = self.store.get(c.result_key(case.key))
        return None if raw is None else RewardResult.model_validate_json(raw)

    def describe(self, cases: Sequence[Case]) -> dict[str, dict[str, Any]]:
        """Where each unfinished case stands in Redis (for a failure's message)."""
        now = self.store.time()[0]
        out: dict[str, dict[str, Any]] = {}
        for case in cases:
            key = case.key
            if self.store.exists(c.result_key(key)):
                continue
            out[key[:12]] = {
                "job": self.store.exists(c.job_key(key)),
                "deadline_in_s": (self.store.zscore(c.DEADLINES, key) or now) - now,
                "lease": self.store.get(c.lease_key(key)),
                "attempts": self.store.get(c.attempts_key(key)),
                "rq_status": self.store.hget(f"rq:job:{key}", "status"),
                "queued": key.encode() in self.store.lrange(QUEUE_KEY, 0, -1),
                "intermediate": key.encode() in self.store.lrange(INTERMEDIATE_KEY, 0, -1),
            }
        return out

    def attempts(self, case: Case) -> int:
        return int(self.store.get(c.attempts_key(case.key)) or 0)

    def client(self, **kwargs: Any) -> RewardClient:
        return RewardClient(
            self.gateway.url, progress=False, poll_wait_s=5, deadline_s=BATCH_WAIT_S, **kwargs
        )


@pytest.fixture()
def start_stack(tmp_path: Path) -> Iterator[Callable[..., FaultStack]]:
    """start_stack(**env) -> a Redis, gateway and two workers of this test's own; `env`
    (CRUCIBLE_* settings) goes to the gateway and the workers.  `before_workers(gateway,
    store)` runs once the gateway is up, before any worker starts."""
    undo: list[Callable[[], object]] = []  # run last to first, whatever started

    def start(
        *, before_workers: Callable[[Gateway, redis.Redis], None] | None = None, **env: str
    ) -> FaultStack:
        server = RedisServer(data_dir=tmp_path / "redis")
        server.start()
        undo.append(server.stop)
        store = redis.Redis.from_url(server.url, socket_timeout=10)
        undo.append(store.close)
        answers = AnswerLog(server.url)
        answers.start()
        undo.append(answers.stop)
        gateways: list[Gateway] = []  # the test may start more in their place
        undo.append(lambda: [gateway.stop() for gateway in gateways])
        gateways.append(Gateway(server.url, **GATEWAY_ENV, **env))
        if before_workers is not None:
            before_workers(gateways[0], store)
        workers = Workers(server.url, WORKER_PROCESSES, **env)
        undo.append(workers.stop)
        stack = FaultStack(server, gateways[0], workers, answers, store, gateways)
        workers.wait_ready(stack.gateway, WORKER_PROCESSES)
        return stack

    yield start
    for step in reversed(undo):
        step()


# -- the checks every fault ends with -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    graded: int
    errors: int
    rerun: int  # started more than once
    stored_twice: int  # a result stored more than once (always the same answer)


def check_results(
    stack: FaultStack, cases: Sequence[Case], results: Sequence[RewardResult | None]
) -> Tally:
    """Every case has its right reward, or a visible error with a code; what the caller got
    is what Redis holds; no case was ever stored with two different graded answers."""
    assert len(results) == len(cases)
    graded = errors = rerun = twice = 0
    for index, (case, result) in enumerate(zip(cases, results, strict=True)):
        stored = stack.stored(case)
        assert stored is not None, f"case {index}: no stored result"
        if result is None or result.status.value == "error":
            assert stored.status.value == "error" and stored.reward is None, stored
            assert stored.error is not None and stored.error.code, stored
            errors += 1
        else:
            assert (result.status.value, result.reward) == ("graded", case.reward), (index, result)
            assert (stored.status.value, stored.reward) == ("graded", case.reward), (index, stored)
            graded += 1
        seen = stack.answers.seen.get(case.key, [])
        answers = {a for a in seen if a[0] == "graded"}
        assert len(answers) <= 1, f"case {index} was graded into different answers: {answers}"
        rerun += stack.attempts(case) > 1
        twice += len(seen) > 1
    return Tally(graded, errors, rerun, twice)


def grade_in_background(
    stack: FaultStack, cases: Sequence[Case]
) -> tuple[RewardClient, Callable[[], list[RewardResult | None]]]:
    client = stack.client()
    pending = client.submit([case.submission for case in cases], on_error="none")
    return client, pending.result


# -- 1. a worker SIGKILLed mid-batch, more than once --------------------------------------


def kill_a_running_job(
    stack: FaultStack, targets: set[str], timeout: float = 30
) -> tuple[str, set[int]]:
    """SIGKILL the worker process grading one of `targets` now: (the job's key, the pids of
    that process and of its jails)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ours = worker_pids(stack.workers.proc.pid)
        for key in targets:
            holder = stack.store.get(c.lease_key(key))
            if holder is None:
                continue
            pid = int(text(holder).rsplit(":", 2)[1])  # token: host:pid:nonce
            if pid in ours:
                jails = children(pid)
                os.kill(pid, signal.SIGKILL)
                return key, {pid} | jails
        time.sleep(0.02)
    pytest.fail("no target job was running")


def test_workers_sigkilled_mid_batch_lose_nothing(
    start_stack: Callable[..., FaultStack], humaneval_rows: list[dict[str, Any]]
) -> None:
    stack = start_stack()
    cases = make_batch("worker-kill", humaneval_rows, pause=0.5)
    client, results = grade_in_background(stack, cases)
    with client:
        targets = {case.key for case in cases if case.slow}
        killed: dict[str, set[int]] = {}
        for _ in range(3):
            key, pids = kill_a_running_job(stack, targets - set(killed))
            killed[key] = pids
            time.sleep(0.8)
        tally = check_results(stack, cases, results())
    assert tally.graded == len(cases)
    by_key = {case.key: case for case in cases}
    assert all(stack.attempts(by_key[key]) == 2 for key in killed)
    # The supervisor replaced every killed process.
    stack.workers.wait_ready(stack.gateway, WORKER_PROCESSES)
    now = worker_pids(stack.workers.proc.pid)
    gone = set().union(*killed.values())
    assert len(now) == WORKER_PROCESSES and not now & gone
    # A killed worker's jails end with it (their harness reads the end of its pipe).
    deadline = time.monotonic() + 10
    while alive(gone) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(gone), f"processes outlived their killed worker: {alive(gone)}"
    jails = len(gone) - len(killed)
    print(f"\nworker kill: {len(cases)} submissions, {len(killed)} kills ({jails} jails), {tally}")


# -- 2. the gateway SIGKILLed mid-batch, a new one started in its place -------------------


def test_gateway_killed_mid_batch_the_new_one_returns_the_whole_batch(
    start_stack: Callable[..., FaultStack], humaneval_rows: list[dict[str, Any]]
) -> None:
    stack = start_stack()
    posted = make_batch("gateway-kill-posted", humaneval_rows[:2], slow=6)
    with stack.gateway.client() as api:
        accepted = api.post("/v1/batches", json=batch_body(posted))
    assert accepted.status_code == 202, accepted.text
    cases = make_batch("gateway-kill", humaneval_rows)
    client, results = grade_in_background(stack, cases)
    with client:
        stack.wait_batch(cases)  # both batches acknowledged, neither finished
        stack.wait_stored(posted, 3)
        stack.gateway.proc.kill()
        stack.gateway.proc.wait(timeout=10)
        killed_at = time.monotonic()
        time.sleep(1.0)  # requests meanwhile meet a closed port
        stack.gateway = Gateway(stack.server.url, port=stack.gateway.port, **GATEWAY_ENV)
        stack.gateways.append(stack.gateway)
        graded = results()
        recovered_s = time.monotonic() - killed_at
    tally = check_results(stack, cases, graded)
    assert tally.graded == len(cases)
    with stack.gateway.client() as api:
        # The new gateway serves both batches whole: the one the old gateway acknowledged ...
        reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["total"] == body["done"] == len(posted) == len(body["results"])
        old = [RewardResult.model_validate(r) for r in body["results"]]
        check_results(stack, posted, old)
        # ... and the client's, with the answers the client got.
        reply = api.get(f"/v1/batches/{batch_id(cases)}")
        assert reply.status_code == 200 and reply.json()["done"] == len(cases)
        again = [RewardResult.model_validate(r) for r in reply.json()["results"]]
        got = [(r.status, r.reward) for r in graded if r is not None]
        assert [(r.status, r.reward) for r in again] == got
    print(f"\ngateway kill: {len(posted)}+{len(cases)} submissions, {tally}, {recovered_s:.1f} s")


def claim_without_enqueue(url: str, cases: Sequence[Case], *, claim_grace_s: float) -> None:
    """What a gateway leaves when it dies (or loses Redis) between claiming jobs and
    enqueueing them: test sets and job records in Redis, nothing on the queue."""
    settings = GatewaySettings(redis_url=url, claim_grace_s=claim_grace_s)
    intake = Intake()
    jobs = [intake.add(case.submission) for case in cases]

    async def claim() -> list[bool]:
        connection = gateway_redis(settings)
        try:
            store = GatewayStore(connection, settings)
            await store.put_testsets(intake.new_testsets)
            return await store.claim(jobs, [False] * len(jobs))
        finally:
            await connection.aclose()

    assert all(asyncio.run(claim()))


def test_a_gateway_lost_between_claim_and_enqueue_delays_jobs_by_the_claim_grace_only(
    start_stack: Callable[..., FaultStack], humaneval_rows: list[dict[str, Any]]
) -> None:
    """Sent again, such jobs are joined, not enqueued; the reaper enqueues them once their
    claim's grace lapses (CRUCIBLE_CLAIM_GRACE_S; 3 s here, 60 s by default), however long
    the queue grace (900 s by default, kept here)."""
    grace = 3.0
    stack = start_stack(CRUCIBLE_CLAIM_GRACE_S=str(grace))
    cases = make_batch("claimed-only", humaneval_rows[:2], slow=4)
    claim_without_enqueue(stack.server.url, cases, claim_grace_s=grace)
    claimed_at = time.monotonic()
    with stack.gateway.client() as api:
        accepted = api.post("/v1/batches", json=batch_body(cases))
        assert accepted.status_code == 202 and accepted.json()["cached"] == 0, accepted.text
        assert stack.store.llen(QUEUE_KEY) == 0  # joined: nothing was enqueued
        reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
    waited_s = time.monotonic() - claimed_at
    assert reply.status_code == 200 and reply.json()["done"] == len(cases), reply.text
    results = [RewardResult.model_validate(r) for r in reply.json()["results"]]
    assert check_results(stack, cases, results).graded == len(cases)
    assert grace <= waited_s < 60  # the claim's grace, far inside the queue's 900 s
    print(f"\nclaimed, never enqueued: {len(cases)} submissions, done {waited_s:.1f} s later")


def test_jobs_taken_off_the_queue_but_never_started_run_again_within_a_lease(
    start_stack: Callable[..., FaultStack], humaneval_rows: list[dict[str, Any]]
) -> None:
    """A worker that loses Redis (or dies) between taking jobs off the queue and starting
    them leaves them on rq's intermediate list, still "queued": the state a Redis SIGKILL
    left in about one run in five.  They run again within a lease, not a queue grace."""
    cases = make_batch("stranded", humaneval_rows[:2], slow=4)
    stranded: list[str] = []

    def strand(gateway: Gateway, store: redis.Redis) -> None:
        with gateway.client() as api:
            assert api.post("/v1/batches", json=batch_body(cases)).status_code == 202
        for index in range(3):  # what rq's dequeue does, by a worker that then went away
            moved = store.lmove(QUEUE_KEY, INTERMEDIATE_KEY, "LEFT", "RIGHT")
            assert moved is not None
            stranded.append(text(moved))
            if index == 0:  # one got as far as being marked started, not as taking its lease
                store.hset(f"rq:job:{text(moved)}", "status", "started")

    started = time.monotonic()
    stack = start_stack(before_workers=strand)
    with stack.gateway.client() as api:
        reply = api.get(f"/v1/batches/{batch_id(cases)}", params={"wait": 60})
    waited_s = time.monotonic() - started
    assert reply.status_code == 200, reply.text
    assert reply.json()["done"] == len(cases), json.dumps(stack.describe(cases), default=str)
    results = [RewardResult.model_validate(r) for r in reply.json()["results"]]
    assert check_results(stack, cases, results).graded == len(cases)
    assert stack.store.llen(INTERMEDIATE_KEY) == 0
    print(f"\ntaken, never started: {len(stranded)} of {len(cases)}, all done {waited_s:.1f} s")


# -- 3. Redis restarted, SIGKILLed, or SIGKILLed and its data lost, mid-batch -------------


def stop_redis(server: RedisServer, how: str) -> None:
    """restart: SIGTERM (Redis writes its append-only file); sigkill: killed as it stands;
    wiped: killed and its data folder gone (a node lost with its disk)."""
    if how == "restart":
        server.stop()
        return
    assert server.proc is not None
    server.proc.kill()
    server.proc.wait(timeout=10)
    server.proc = None
    if how == "wiped":
        shutil.rmtree(server.data_dir)


@pytest.mark.parametrize("how", ["restart", "sigkill", "wiped"])
def test_redis_going_away_mid_batch_loses_nothing(
    start_stack: Callable[..., FaultStack],
    humaneval_rows: list[dict[str, Any]],
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="crucible.grading")
    stack = start_stack()
    posted = make_batch(f"redis-{how}-posted", humaneval_rows[:2], slow=6)
    with stack.gateway.client() as api:
        accepted = api.post("/v1/batches", json=batch_body(posted))
    assert accepted.status_code == 202, accepted.text
    cases = make_batch(f"redis-{how}", humaneval_rows)
    client, results = grade_in_background(stack, cases)
    with client:
        stack.wait_batch(cases)  # the client's batch is acknowledged too
        stack.wait_stored(posted, 3)
        stop_redis(stack.server, how)
        down_at = time.monotonic()
        with stack.gateway.client() as api:
            down = api.post("/v1/batches", json=batch_body(posted))
        assert down.status_code == 503 and down.json()["error"]["code"] == "redis_unavailable"
        time.sleep(1.0)
        stack.server.start()
        graded = results()
        recovered_s = time.monotonic() - down_at
    tally = check_results(stack, cases, graded)
    assert tally.graded == len(cases)
    resent = any("sending it again" in m for m in caplog.messages)
    assert resent == (how == "wiped"), caplog.messages  # a lost batch, and only then
    with stack.gateway.client() as api:
        reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
        if how == "wiped":
            # What Redis lost is a clear 404 to a caller who polls by hand (the client
            # library sends such a batch again, as it did above); sending it again works.
            assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
            assert api.post("/v1/batches", json=batch_body(posted)).status_code == 202
            reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
    assert reply.status_code == 200, reply.text
    assert reply.json()["done"] == len(posted), json.dumps(stack.describe(posted), default=str)
    old = check_results(
        stack, posted, [RewardResult.model_validate(r) for r in reply.json()["results"]]
    )
    assert old.graded == len(posted)
    print(
        f"\nredis {how}: {len(posted)}+{len(cases)} submissions, {old}, {tally},"
        f" {recovered_s:.1f} s"
    )


# -- 4. Redis memory full (maxmemory, noeviction) mid-batch -------------------------------

FILLER_SIZES = (256 * 1024, 4096, 64)  # big pieces first, then the last crumbs


def fill_memory(store: redis.Redis, *, headroom_mb: int = 4) -> int:
    """Cap Redis at its current use plus `headroom_mb` and write filler until it refuses
    even small writes; how many filler keys it took."""
    used = int(store.info("memory")["used_memory"])
    store.config_set("maxmemory-policy", "noeviction")
    store.config_set("maxmemory", used + headroom_mb * 1024 * 1024)
    index = 0
    for size in FILLER_SIZES:
        with contextlib.suppress(redis.OutOfMemoryError):
            while index < 100_000:
                store.set(f"filler:{index}", b"x" * size)
                index += 1
    assert index < 100_000, "Redis never refused a write"
    # Full, and kept full: what finished jobs free (rq's job hashes) must not make room.
    used = int(store.info("memory")["used_memory"])
    store.config_set("maxmemory", used - 1024 * 1024)
    return index


def is_full(store: redis.Redis) -> bool:
    try:
        store.set("filler:probe", b"x")
    except redis.OutOfMemoryError:
        return True
    return False


def free_memory(store: redis.Redis, fillers: int) -> None:
    store.delete(*(f"filler:{index}" for index in range(fillers)))
    store.config_set("maxmemory", 0)


def test_redis_memory_full_is_a_clear_error_and_the_service_recovers(
    start_stack: Callable[..., FaultStack], humaneval_rows: list[dict[str, Any]]
) -> None:
    stack = start_stack()
    cases = make_batch("oom", humaneval_rows)
    later = make_batch("oom-later", humaneval_rows[:2], slow=4)
    with stack.gateway.client() as api:
        accepted = api.post("/v1/batches", json=batch_body(cases))
        assert accepted.status_code == 202, accepted.text
        stack.wait_stored(cases, 3)
        fillers = fill_memory(stack.store)
        full_at = time.monotonic()
        pids: set[int] = set()
        # While full: writes get a clear, retryable error; reads still answer.
        refusals = [
            api.post("/v1/batches", json=batch_body(later)),
            api.post("/v1/submissions", json=later[0].submission.model_dump(mode="json")),
        ]
        for reply in refusals:
            assert reply.status_code == 503, reply.text
            error = reply.json()["error"]
            assert error["code"] == "redis_unavailable" and error["retryable"] is True, error
            assert "maxmemory" in error["message"] and reply.headers["Retry-After"] == "1"
        status = api.get(f"/v1/batches/{accepted.json()['id']}")
        assert status.status_code == 200 and status.json()["total"] == len(cases)
        while time.monotonic() - full_at < 4:
            pids |= worker_pids(stack.workers.proc.pid)
            time.sleep(0.1)
        assert is_full(stack.store)
        # Workers that cannot write to Redis stop and are started again with backoff:
        # a handful of processes per slot while full, not a tight crash loop.
        assert len(pids) <= 3 * WORKER_PROCESSES, pids
        during = api.get(f"/v1/batches/{accepted.json()['id']}").json()["done"]
        free_memory(stack.store, fillers)
        freed_at = time.monotonic()
        reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
        assert reply.status_code == 200, reply.text
        recovered_s = time.monotonic() - freed_at
        body = reply.json()
    assert body["done"] == len(cases), body["done"]
    tally = check_results(stack, cases, [RewardResult.model_validate(r) for r in body["results"]])
    with stack.client() as client:
        after = client.grade_many([case.submission for case in later], on_error="none")
    assert check_results(stack, later, after).graded == len(later)
    print(
        f"\nredis full: {len(cases)} submissions, {during} done while full, {tally},"
        f" {len(pids)} worker pids while full,"
        f" recovered {recovered_s:.1f} s after freeing"
    )


# -- 5. the nsjail binary removed mid-batch, then put back --------------------------------


def test_nsjail_removed_mid_batch_is_an_error_never_a_zero(
    start_stack: Callable[..., FaultStack],
    humaneval_rows: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    # The workers use a copy of nsjail of this test's own, never the one other tests share;
    # no warm jails, so every submission starts one and the missing binary bites at once.
    binary = tmp_path / "bin" / "nsjail"
    binary.parent.mkdir()
    shutil.copy2(nsjail_binary(JudgeSettings()), binary)
    stack = start_stack(CRUCIBLE_NSJAIL_PATH=str(binary), CRUCIBLE_JAIL_POOL_SIZE="0")
    cases = make_batch("nsjail", humaneval_rows)
    with stack.gateway.client() as api:
        accepted = api.post("/v1/batches", json=batch_body(cases))
        assert accepted.status_code == 202, accepted.text
        stack.wait_stored(cases, 3)
        binary.rename(binary.with_name("nsjail.away"))
        removed_at = time.monotonic()
        reply = api.get(f"/v1/batches/{accepted.json()['id']}", params={"wait": 60})
        settled_s = time.monotonic() - removed_at
        assert reply.status_code == 200 and reply.json()["done"] == len(cases), reply.text
        results = [RewardResult.model_validate(r) for r in reply.json()["results"]]
        ready = api.get("/readyz")
    tally = check_results(stack, cases, results)
    codes = {r.error.code for r in results if r.error is not None}
    assert tally.errors > 0 and codes == {"sandbox_unavailable"}, (tally, codes)
    assert all(r.error is None or r.error.retryable for r in results)
    # A trainer sees the fault, by its code, not a reward.
    fresh = make_batch("nsjail-fresh", [], slow=1, pause=0)[0]
    with stack.client(fault_retries=0) as client, pytest.raises(JudgeFault) as fault:
        client.grade(fresh.submission)
    assert fault.value.error is not None and fault.value.error.code == "sandbox_unavailable"
    binary.with_name("nsjail.away").rename(binary)
    # Back: the same submissions grade again (a stored error is never the cached answer).
    with stack.client() as client:
        again = client.grade_many([case.submission for case in cases], on_error="none")
    assert check_results(stack, cases, again).graded == len(cases)
    print(
        f"\nnsjail removed: {len(cases)} submissions, {tally},"
        f" errors settled in {settled_s:.1f} s, /readyz {ready.status_code} while missing"
    )
