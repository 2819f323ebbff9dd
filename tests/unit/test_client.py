"""The reward client against an in-memory gateway (httpx.MockTransport): no services."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from typing import Any

import httpx
import pytest

from crucible import errors
from crucible.client import AsyncRewardClient, RewardClient
from crucible.retry import RetryPolicy
from crucible.schema import StdioCase, StdioTestSet, Submission
from crucible.schema import testset_hash as sha256_of
from crucible.transport import Timeouts
from tests.unit.fake_gateway import FakeGateway, error

TESTS = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")])
OTHER = StdioTestSet(cases=[StdioCase(input="2\n", output="2\n")])
FAST = RetryPolicy(
    attempts=4,
    backoff_s=0.001,
    max_backoff_s=0.01,
    max_retry_after_s=0.05,
    backpressure_s=1.0,
    retry_after_spread=0,
)


def sub(code: str, tests: StdioTestSet = TESTS) -> Submission:
    return Submission(code=code, tests=tests)


def client(gateway: FakeGateway, **options: Any) -> RewardClient:
    options = {"progress": False, "retry": FAST, "poll_wait_s": 0.5, **options}
    return RewardClient("http://crucible.test", transport=gateway.transport(), **options)


@pytest.fixture()
def gateway() -> FakeGateway:
    return FakeGateway()


def rewards(results: list[Any]) -> list[Any]:
    return [None if r is None else r.reward for r in results]


# -- results, order, test sets ------------------------------------------------------------


def test_grade_many_returns_results_in_input_order(gateway: FakeGateway) -> None:
    codes = ["ok 1", "bad 2", "ok 3", "bad 4", "ok 5"]
    with client(gateway) as c:
        results = c.grade_many([sub(code) for code in codes])
    assert rewards(results) == [1, 0, 1, 0, 1]


def test_grade_returns_one_result(gateway: FakeGateway) -> None:
    with client(gateway) as c:
        assert c.grade(sub("ok")).reward == 1


def test_an_empty_list_needs_no_request(gateway: FakeGateway) -> None:
    with client(gateway) as c:
        assert c.grade_many([]) == []
    assert gateway.calls == []


def test_order_holds_across_batches_and_partial_polls(gateway: FakeGateway) -> None:
    gateway.reveal_per_poll = 7
    codes = [f"{'ok' if i % 3 else 'bad'} {i}" for i in range(95)]
    with client(gateway, batch_size=20) as c:
        results = c.grade_many([sub(code) for code in codes])
    assert rewards(results) == [1 if i % 3 else 0 for i in range(95)]
    assert gateway.count("POST", "/v1/batches") == 5


def test_a_test_set_is_registered_once_by_hash(gateway: FakeGateway) -> None:
    same_content = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")])
    batch = [sub("ok a"), sub("ok b"), sub("ok c", same_content), sub("ok d", OTHER)]
    with client(gateway) as c:
        c.grade_many(batch)
        assert gateway.count("HEAD") == 2 and gateway.count("PUT") == 2
        c.grade_many([sub("ok e"), sub("ok f", OTHER)])
    assert gateway.count("HEAD") == 2 and gateway.count("PUT") == 2, "known: not sent again"
    assert set(gateway.testsets) == {sha256_of(TESTS), sha256_of(OTHER)}
    for method, body in zip(gateway.calls, gateway.bodies, strict=True):
        if method == ("POST", "/v1/batches"):
            sent = json.loads(body)["submissions"]
            assert all(s["tests"] is None and len(s["testset"]) == 64 for s in sent)


def test_a_test_set_the_gateway_has_is_not_put(gateway: FakeGateway) -> None:
    gateway.testsets[sha256_of(TESTS)] = TESTS.model_dump(mode="json")
    with client(gateway) as c:
        c.grade_many([sub("ok")])
    assert gateway.count("HEAD") == 1 and gateway.count("PUT") == 0


def test_a_forgotten_test_set_is_registered_again(gateway: FakeGateway) -> None:
    with client(gateway) as c:
        c.grade_many([sub("ok 1")])
        gateway.testsets.clear()  # Redis flushed
        assert rewards(c.grade_many([sub("ok 2")])) == [1]
    assert gateway.count("PUT") == 2


def test_a_lost_batch_is_sent_again(gateway: FakeGateway) -> None:
    gateway.fail_next("GET /v1/batches/", error(404, "not_found"))
    with client(gateway) as c:
        assert rewards(c.grade_many([sub("ok"), sub("bad")])) == [1, 0]
    assert gateway.count("POST", "/v1/batches") == 2


def test_a_batch_too_large_is_split_and_the_size_remembered(gateway: FakeGateway) -> None:
    gateway.max_batch = 3
    codes = [f"{'ok' if i % 2 else 'bad'} {i}" for i in range(10)]
    with client(gateway, batch_size=100) as c:
        assert rewards(c.grade_many([sub(code) for code in codes])) == [i % 2 for i in range(10)]
        posts = gateway.count("POST", "/v1/batches")
        c.grade_many([sub(f"ok again {i}") for i in range(6)])
    assert gateway.count("POST", "/v1/batches") - posts == 3, "sent at the size that fit"


def test_the_bearer_token_is_sent(gateway: FakeGateway) -> None:
    with client(gateway, token="s3cret") as c:
        c.grade_many([sub("ok")])
    assert all(h["authorization"] == "Bearer s3cret" for h in gateway.headers)


# -- judge faults: raise or None, never 0 --------------------------------------------------


def test_a_judge_fault_raises_by_default(gateway: FakeGateway) -> None:
    with client(gateway) as c, pytest.raises(errors.JudgeFault) as caught:
        c.grade_many([sub("ok"), sub("fault")])
    assert caught.value.index == 1 and caught.value.error is not None
    assert caught.value.error.code == "jail_failed"


def test_a_judge_fault_is_none_when_asked_never_zero(gateway: FakeGateway) -> None:
    with client(gateway) as c:
        results = c.grade_many([sub("ok"), sub("fault"), sub("bad")], on_error="none")
    assert rewards(results) == [1, None, 0]


def test_a_retryable_judge_fault_is_sent_again(gateway: FakeGateway) -> None:
    with client(gateway) as c:
        assert rewards(c.grade_many([sub("ok"), sub("ok flaky")])) == [1, 1]
    assert gateway.count("POST", "/v1/batches") == 2


def test_a_persistent_retryable_fault_stops_after_fault_retries(gateway: FakeGateway) -> None:
    gateway.graded[Submission(code="ok flaky", testset=sha256_of(TESTS)).content_key()] = -5
    with client(gateway, fault_retries=2) as c:
        assert rewards(c.grade_many([sub("ok flaky")], on_error="none")) == [None]
    assert gateway.count("POST", "/v1/batches") == 3


# -- retries, backoff, Retry-After ---------------------------------------------------------


def test_queue_full_is_retried_after_retry_after(gateway: FakeGateway) -> None:
    gateway.fail_next(
        "POST /v1/batches", error(429, "queue_full", retryable=True, **{"Retry-After": "7"})
    )
    waits: list[float] = []
    with client(gateway) as c:
        c.client.api.sleep = _recording(waits)
        assert rewards(c.grade_many([sub("ok")])) == [1]
    assert waits == [FAST.max_retry_after_s], "Retry-After, capped by the policy"


def test_unavailable_and_connection_errors_are_retried(gateway: FakeGateway) -> None:
    gateway.fail_next("HEAD", httpx.ConnectError("refused"))
    gateway.fail_next("POST", error(503, "redis_unavailable", retryable=True))
    gateway.fail_next("GET", httpx.ReadTimeout("slow"))
    gateway.fail_next("GET", httpx.Response(502, text="<html>bad gateway</html>"))
    with client(gateway) as c:
        assert rewards(c.grade_many([sub("ok")])) == [1]
    assert gateway.count("GET") == 3


def test_retries_end_with_a_typed_error(gateway: FakeGateway) -> None:
    for _ in range(FAST.attempts):
        gateway.fail_next("HEAD", httpx.ConnectError("refused"))
    with client(gateway) as c, pytest.raises(errors.ConnectError):
        c.grade_many([sub("ok")])
    assert gateway.count("HEAD") == FAST.attempts


def test_backpressure_is_waited_out_past_the_attempts_for_failures(gateway: FakeGateway) -> None:
    refusals = 3 * FAST.attempts
    for _ in range(refusals):
        gateway.fail_next("POST", error(429, "queue_full", retryable=True, **{"Retry-After": "1"}))
    waits: list[float] = []
    with client(gateway) as c:
        c.client.api.sleep = _recording(waits)
        assert rewards(c.grade_many([sub("ok")])) == [1]
    assert waits == [FAST.max_retry_after_s] * refusals


def test_backpressure_longer_than_the_policy_allows_ends_in_queue_full(
    gateway: FakeGateway,
) -> None:
    patient = int(FAST.backpressure_s / FAST.max_retry_after_s)
    for _ in range(patient + 1):
        gateway.fail_next("POST", error(429, "queue_full", retryable=True, **{"Retry-After": "1"}))
    with client(gateway) as c, pytest.raises(errors.QueueFull):
        c.client.api.sleep = _recording([])
        c.grade_many([sub("ok")])


def test_a_bad_request_is_not_retried(gateway: FakeGateway) -> None:
    gateway.fail_next("POST", error(422, "invalid_request"))
    with client(gateway) as c, pytest.raises(errors.BadRequest) as caught:
        c.grade_many([sub("ok")])
    assert caught.value.code == "invalid_request" and caught.value.status == 422
    assert gateway.count("POST") == 1


def test_unauthorized_is_its_own_error(gateway: FakeGateway) -> None:
    gateway.fail_next("HEAD", error(401, "unauthorized"))
    with client(gateway) as c, pytest.raises(errors.Unauthorized):
        c.grade_many([sub("ok")])


def test_a_reply_outside_the_schema_is_a_protocol_error(gateway: FakeGateway) -> None:
    gateway.fail_next("POST", httpx.Response(202, json={"unexpected": True}))
    with client(gateway) as c, pytest.raises(errors.ProtocolError):
        c.grade_many([sub("ok")])


def test_every_error_is_a_crucible_error() -> None:
    for kind in (errors.TransportError, errors.ServerError, errors.JudgeFault):
        assert issubclass(kind, errors.CrucibleError)
    for kind in (errors.QueueFull, errors.Unavailable, errors.BadRequest, errors.NotFound):
        assert issubclass(kind, errors.ServerError)


# -- deadlines -----------------------------------------------------------------------------


def test_the_deadline_ends_a_call_that_never_finishes(gateway: FakeGateway) -> None:
    gateway.release = threading.Event()  # never set: nothing is ever done
    started = time.monotonic()
    with client(gateway, poll_wait_s=30) as c, pytest.raises(errors.DeadlineExceeded) as caught:
        c.grade_many([sub("ok"), sub("ok 2")], deadline_s=0.5)
    assert time.monotonic() - started < 5
    assert caught.value.missing == 2
    waits = [float(p["wait"]) for p in gateway.params if "wait" in p]
    assert waits and max(waits) <= 0.5, "a long-poll never outlasts the deadline"


def test_timeouts_reach_httpx(gateway: FakeGateway) -> None:
    seen: list[dict[str, float | None]] = []

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return gateway.handle(request)

    transport = httpx.MockTransport(spy)
    timeouts = Timeouts(connect_s=3, request_s=9)
    with RewardClient("http://x", transport=transport, progress=False, timeouts=timeouts) as c:
        c.grade_many([sub("ok")])
    assert all(t["connect"] == 3 for t in seen)
    assert all(t["read"] is not None and t["read"] >= 9 for t in seen)


# -- pipelining ----------------------------------------------------------------------------


def test_submit_returns_at_once_and_collect_keeps_order(gateway: FakeGateway) -> None:
    gateway.release = threading.Event()
    with client(gateway) as c:
        started = time.monotonic()
        first = c.submit([sub("ok 1"), sub("bad 2")])
        second = c.submit([sub("bad 3"), sub("ok 4"), sub("ok 5")])
        assert time.monotonic() - started < 1 and first.done == 0
        assert first.total == 2 and second.total == 3
        gateway.release.set()
        results = c.collect([first, second])
        assert rewards(results) == [1, 0, 0, 1, 1]
        assert rewards(second.result()) == [0, 1, 1]


def test_async_client_grades_and_pipelines(gateway: FakeGateway) -> None:
    async def main() -> tuple[list[Any], list[Any]]:
        transport = gateway.transport()
        async with AsyncRewardClient("http://x", transport=transport, progress=False) as c:
            graded = await c.grade_many([sub("ok"), sub("bad")])
            pending = [c.submit([sub(f"ok {i}")]) for i in range(3)]
            pending.append(c.submit([sub("fault")], on_error="none"))
            return graded, await c.collect(pending)

    graded, collected = asyncio.run(main())
    assert rewards(graded) == [1, 0]
    assert rewards(collected) == [1, 1, 1, None]


def test_the_progress_bar_can_be_shown_and_turned_off(
    gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    with client(gateway, progress=True) as c:
        c.grade_many([sub("ok")])
        assert "crucible" in capsys.readouterr().err
        c.grade_many([sub("ok 2")], progress=False)
        assert capsys.readouterr().err == ""


def test_the_sync_client_works_inside_a_running_event_loop(gateway: FakeGateway) -> None:
    async def notebook_cell() -> list[Any]:
        with client(gateway) as c:
            return c.grade_many([sub("ok")])

    assert rewards(asyncio.run(notebook_cell())) == [1]


def _recording(waits: list[float]) -> Any:
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return sleep


def test_closing_cancels_what_was_never_collected(gateway: FakeGateway) -> None:
    gateway.release = threading.Event()  # never set
    c = client(gateway, poll_wait_s=30)
    pending = c.submit([sub("ok")])
    c.close()
    assert pending.inner.task.cancelled()


def test_backpressure_without_retry_after_backs_off_further_each_time(
    gateway: FakeGateway,
) -> None:
    for _ in range(6):
        gateway.fail_next("POST", error(429, "queue_full", retryable=True))
    waits: list[float] = []
    patient = RetryPolicy(backoff_s=1.0, max_backoff_s=1000.0, backpressure_s=10_000.0)
    random.seed(7)  # full jitter draws each wait below its bound: fixed draws, fixed waits
    with client(gateway, retry=patient) as c:
        c.client.api.sleep = _recording(waits)
        assert rewards(c.grade_many([sub("ok")])) == [1]
    assert len(waits) == 6
    # The n-th wait is drawn below 2**(n-1) s; had the bound stayed at the first, all <= 1 s.
    assert all(w <= 2**n for n, w in enumerate(waits))
    assert max(waits) > 1.0
