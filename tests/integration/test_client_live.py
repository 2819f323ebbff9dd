"""The reward client against the live local stack: real gateway, workers, nsjail and Redis."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crucible import errors
from crucible.client import AsyncRewardClient, RewardClient
from crucible.datasets import (
    OracleAnswers,
    humaneval_submission,
    mbpp_plus_call_submission,
    mbpp_plus_oracle,
    parse_oracle_output,
    read_jsonl,
)
from crucible.integrations.rllm import CrucibleRewardFn
from crucible.schema import StdioCase, StdioTestSet, Submission
from crucible.schema import testset_hash as sha256_of
from tests.integration.conftest import Gateway, Stack

pytestmark = pytest.mark.integration
ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG = "print(0)\n"


def stdio_tests(count: int) -> StdioTestSet:
    return StdioTestSet(
        cases=[StdioCase(input=f"{i} {i + 1}\n", output=f"{2 * i + 1}\n") for i in range(count)]
    )


def unique(code: str) -> str:
    return f"{code}# {uuid.uuid4().hex}\n"


@pytest.fixture()
def client(service: Stack) -> Iterator[RewardClient]:
    with RewardClient(service.gateway.url, progress=False, poll_wait_s=5) as reward_client:
        yield reward_client


@pytest.fixture()
def store(service: Stack) -> redis.Redis:
    return redis.Redis.from_url(service.redis.url, decode_responses=True)


def test_grade_many_through_the_stack_in_order(client: RewardClient, store: redis.Redis) -> None:
    tests = stdio_tests(5)
    codes = [unique(ADD if i % 3 else WRONG) for i in range(12)]
    results = client.grade_many([Submission(code=code, tests=tests) for code in codes])
    assert [r.reward for r in results] == [1 if i % 3 else 0 for i in range(12)]
    assert all(r.runtime.startswith("CPython") for r in results)
    assert store.exists(f"crucible:testset:{sha256_of(tests)}"), "registered by hash"


def test_more_than_the_gateways_batch_cap_is_split(client: RewardClient) -> None:
    # The test gateway takes at most 100 submissions per batch (SMALL_CAPS).
    subs = [
        Submission(code=unique(ADD if i % 2 else WRONG), tests=stdio_tests(1)) for i in range(130)
    ]
    with RewardClient(client.url, progress=False, batch_size=1000) as big:
        results = big.grade_many(subs)
    assert [r.reward for r in results] == [i % 2 for i in range(130)]


def test_submit_then_collect_overlaps_grading_with_the_caller(client: RewardClient) -> None:
    slow = "import time\ntime.sleep(1)\n" + ADD
    started = time.monotonic()
    first = client.submit([Submission(code=unique(slow), tests=stdio_tests(1)) for _ in range(2)])
    second = client.submit([Submission(code=unique(WRONG), tests=stdio_tests(1))])
    assert time.monotonic() - started < 1, "submit does not wait for grading"
    results = client.collect([first, second])
    assert [r.reward for r in results] == [1, 1, 0]


def test_a_test_set_lost_by_the_gateway_is_registered_again(
    client: RewardClient, store: redis.Redis
) -> None:
    tests = stdio_tests(3)
    assert client.grade(Submission(code=unique(ADD), tests=tests)).reward == 1
    store.delete(f"crucible:testset:{sha256_of(tests)}")  # Redis lost it; the client does not know
    assert client.grade(Submission(code=unique(ADD), tests=tests)).reward == 1
    assert store.exists(f"crucible:testset:{sha256_of(tests)}")


def test_a_deadline_ends_the_wait(client: RewardClient) -> None:
    slow = Submission(code=unique("import time\ntime.sleep(6)\n"), tests=stdio_tests(1))
    started = time.monotonic()
    with pytest.raises(errors.DeadlineExceeded):
        client.grade_many([slow], deadline_s=1.5)
    assert time.monotonic() - started < 5


def test_tokens_are_checked(service: Stack) -> None:
    guarded = Gateway(service.redis.url, CRUCIBLE_API_TOKENS="right-token")
    try:
        sub = Submission(code=unique(ADD), tests=stdio_tests(1))
        wrong = RewardClient(guarded.url, token="wrong", progress=False)
        with wrong, pytest.raises(errors.Unauthorized):
            wrong.grade(sub)
        with RewardClient(guarded.url, token="right-token", progress=False) as right:
            assert right.grade(sub).reward == 1
    finally:
        guarded.stop()


def test_an_unreachable_gateway_is_a_transport_error() -> None:
    from crucible.retry import RetryPolicy
    from server.stack import free_port

    policy = RetryPolicy(attempts=2, backoff_s=0.01)
    url = f"http://127.0.0.1:{free_port()}"
    nowhere = RewardClient(url, progress=False, retry=policy)
    with nowhere, pytest.raises(errors.ConnectError):
        nowhere.grade(Submission(code=ADD, tests=stdio_tests(1)))


def test_the_async_client_through_the_stack(service: Stack) -> None:
    async def main() -> list[int | None]:
        async with AsyncRewardClient(service.gateway.url, progress=False) as c:
            subs = [Submission(code=unique(code), tests=stdio_tests(2)) for code in (ADD, WRONG)]
            return [r.reward for r in await c.grade_many(subs)]

    assert asyncio.run(main()) == [1, 0]


def test_humaneval_references_score_one_through_the_client(
    client: RewardClient, datasets: Path
) -> None:
    rows = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))[:20]
    results = client.grade_many([humaneval_submission(row) for row in rows])
    assert [r.reward for r in results] == [1] * len(rows)


def test_mbpp_plus_call_tests_from_the_oracle(client: RewardClient, datasets: Path) -> None:
    rows = list(read_jsonl(datasets / "evalplus" / "MbppPlus.jsonl"))[:8]
    subs, wrong = [], []
    for row in rows:
        run = subprocess.run(
            ["/usr/bin/python3", "-"],
            input=mbpp_plus_oracle(row),
            capture_output=True,
            text=True,
            timeout=120,
            env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin"},
            check=True,
        )
        answered = parse_oracle_output(run.stdout)
        # The test gateway takes 50 tests per test set: the first 40 inputs.
        answers = OracleAnswers({i: v for i, v in answered.outputs.items() if i < 40}, {})
        subs.append(mbpp_plus_call_submission(row, answers))
        bad = f"def {row['entry_point']}(*args):\n    return None\n"
        wrong.append(mbpp_plus_call_submission(row, answers, code=bad))
    assert [r.reward for r in client.grade_many(subs)] == [1] * len(rows)
    assert [r.reward for r in client.grade_many(wrong)] == [0] * len(rows)


def test_rllm_reward_fn_through_the_stack(client: RewardClient) -> None:
    reward_fn = CrucibleRewardFn(client=client)
    task = {"ground_truth": {"inputs": ["2 3\n"], "outputs": ["5\n"]}, "data_source": "taco"}
    assert reward_fn(task, f"```python\n{unique(ADD)}```").is_correct
    assert reward_fn(task, "no code here").metadata["verdict"] == "no_code"
