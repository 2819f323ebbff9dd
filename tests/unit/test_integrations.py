"""The TRL, verl and rLLM adapters against an in-memory gateway (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
import os
import pickle
from collections.abc import Iterator

import pytest

from crucible import errors
from crucible.client import RewardClient
from crucible.integrations import verl
from crucible.integrations.rllm import CrucibleRewardFn
from crucible.integrations.rollouts import TestSets, completion_text, to_testset
from crucible.integrations.trl import AsyncCrucibleReward, CrucibleReward
from crucible.schema import CallTestSet, StdioTestSet
from tests.unit.fake_gateway import FakeGateway

STDIO = {"kind": "stdio", "cases": [{"input": "1\n", "output": "1\n"}]}
TACO = json.dumps({"inputs": ["1\n"], "outputs": ["1\n"]})
LCB = [{"input": "1", "output": "2", "testtype": "functional", "metadata": {}}]


def answer(code: str, *, think: str = "") -> str:
    return f"<think>{think}</think>Here it is:\n```python\n{code}\n```\n"


@pytest.fixture()
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture()
def trl_reward(gateway: FakeGateway) -> CrucibleReward:
    return CrucibleReward("http://x", client_options={"transport": gateway.transport()})


def sent_codes(gateway: FakeGateway) -> list[str]:
    codes = []
    for (method, path), body in zip(gateway.calls, gateway.bodies, strict=True):
        if (method, path) == ("POST", "/v1/batches"):
            codes += [s["code"] for s in json.loads(body)["submissions"]]
    return codes


# -- TRL ------------------------------------------------------------------------------------


def test_trl_reward_grades_each_completion_against_its_row(
    trl_reward: CrucibleReward, gateway: FakeGateway
) -> None:
    completions = [answer("ok"), answer("bad", think="```python\nok\n```"), "no code at all"]
    rewards = trl_reward(
        prompts=["p1", "p1", "p2"],
        completions=completions,
        completion_ids=[[1], [2], [3]],
        tests=[STDIO, STDIO, TACO],
        trainer_state=None,
    )
    assert rewards == [1.0, 0.0, 0.0]
    assert sent_codes(gateway) == ["ok\n", "bad\n", ""], "programs extracted; reasoning stays"
    assert gateway.count("PUT") == 1, "the TACO row holds the same tests: one hash, one PUT"


def test_trl_reward_reads_conversational_completions(trl_reward: CrucibleReward) -> None:
    completions = [[{"role": "assistant", "content": answer("ok")}]]
    assert trl_reward(
        prompts=[[{"role": "user", "content": "q"}]], completions=completions, tests=[STDIO]
    ) == [1.0]


def test_trl_reward_gives_none_for_a_judge_fault_and_logs_it(trl_reward: CrucibleReward) -> None:
    logged: dict[str, float] = {}
    rewards = trl_reward(
        prompts=["p", "p"],
        completions=[answer("ok"), answer("fault")],
        tests=[STDIO, STDIO],
        log_metric=logged.__setitem__,
    )
    assert rewards == [1.0, None]
    assert logged == {"crucible/ungraded": 0.5, "crucible/pass_fraction": 1.0}


def test_trl_reward_can_raise_instead(gateway: FakeGateway) -> None:
    reward = CrucibleReward(on_error="raise", client_options={"transport": gateway.transport()})
    with pytest.raises(errors.JudgeFault):
        reward(prompts=["p"], completions=[answer("fault")], tests=[STDIO])


def test_trl_reward_dense_is_the_pass_fraction(gateway: FakeGateway) -> None:
    reward = CrucibleReward(dense=True, client_options={"transport": gateway.transport()})
    assert reward(prompts=["p"], completions=[answer("ok")], tests=[STDIO]) == [1.0]


def test_trl_reward_names_a_missing_tests_column(trl_reward: CrucibleReward) -> None:
    with pytest.raises(KeyError, match="'tests' column"):
        trl_reward(prompts=["p"], completions=["x"], solution=["y"])


def test_trl_reward_pickles_without_its_client(
    trl_reward: CrucibleReward, gateway: FakeGateway
) -> None:
    trl_reward(prompts=["p"], completions=[answer("ok")], tests=[STDIO])
    clone = pickle.loads(pickle.dumps(trl_reward))
    assert "_client" not in clone.__dict__ and clone.__name__ == "crucible"
    assert clone(prompts=["p"], completions=[answer("ok 2")], tests=[STDIO]) == [1.0]


def test_async_trl_reward(gateway: FakeGateway) -> None:
    reward = AsyncCrucibleReward(client_options={"transport": gateway.transport()})

    async def step() -> list[float | None]:
        return await reward(
            prompts=["p", "p"], completions=[answer("ok"), answer("fault")], tests=[LCB, LCB],
            metadata=[{"func_name": "f"}, {"func_name": "f"}],
        )  # fmt: skip

    assert asyncio.run(step()) == [1.0, None]
    assert asyncio.run(step()) == [1.0, None], "a new event loop gets a new client"


# -- tests columns ----------------------------------------------------------------------------


def test_tests_columns_in_every_shape() -> None:
    assert isinstance(to_testset(STDIO), StdioTestSet)
    assert isinstance(to_testset(json.dumps(STDIO)), StdioTestSet)
    assert isinstance(to_testset(TACO), StdioTestSet)
    call = to_testset(LCB, fn_name="f")
    assert isinstance(call, CallTestSet) and call.fn_name == "f"
    cache = TestSets()
    assert cache.get(TACO) is cache.get(TACO), "converted once"


def test_completion_text_forms() -> None:
    assert completion_text("a") == "a"
    messages = [{"role": "assistant", "content": [{"type": "text", "text": "b"}]}]
    assert completion_text(messages) == "b"
    with pytest.raises(TypeError):
        completion_text(42)


# -- verl -------------------------------------------------------------------------------------


@pytest.fixture()
def verl_gateway(gateway: FakeGateway) -> Iterator[FakeGateway]:
    key = (os.getpid(), "http://verl", None)
    verl._clients[key] = RewardClient("http://verl", transport=gateway.transport(), progress=False)
    yield gateway
    verl._clients.pop(key).close()


def test_verl_compute_score(verl_gateway: FakeGateway) -> None:
    score = verl.compute_score("taco", answer("ok"), TACO, {"index": 0}, url="http://verl")
    assert score == {"score": 1.0, "pass_fraction": 1.0, "no_code": 0.0}
    nothing = verl.compute_score("taco", "I cannot solve this.", TACO, None, url="http://verl")
    assert nothing["score"] == 0.0


def test_verl_compute_score_batch_keeps_order_and_raises_on_faults(
    verl_gateway: FakeGateway,
) -> None:
    scores = verl.compute_score_batch(
        data_sources=["taco"] * 3,
        solution_strs=[answer("bad"), answer("ok"), answer("bad 2")],
        ground_truths=[TACO, STDIO, TACO],
        extra_infos=[None, None, None],
        url="http://verl",
        policy={"max_tests": 15, "order": "longest_input_first"},
    )
    assert [s["score"] for s in scores] == [0.0, 1.0, 0.0]
    sent = json.loads(verl_gateway.bodies[-2])["submissions"]
    assert all(s["policy"]["max_tests"] == 15 for s in sent)
    with pytest.raises(errors.JudgeFault):
        verl.compute_score("taco", answer("fault"), TACO, None, url="http://verl")


# -- rLLM -------------------------------------------------------------------------------------


def test_rllm_reward_fn(gateway: FakeGateway) -> None:
    client = RewardClient("http://x", transport=gateway.transport(), progress=False)
    reward_fn = CrucibleRewardFn(client=client)
    out = reward_fn({"ground_truth": TACO, "data_source": "taco"}, answer("ok"))
    assert out.reward == 1.0 and out.is_correct and out.metadata["verdict"] == "passed"
    wrong = reward_fn({"ground_truth": TACO}, answer("bad"))
    assert wrong.reward == 0.0 and not wrong.is_correct
    pending = reward_fn.submit([({"ground_truth": STDIO}, answer("ok")), ({"tests": STDIO}, "x")])
    assert [o.reward for o in reward_fn.collect(pending)] == [1.0, 0.0]
    with pytest.raises(errors.JudgeFault):
        reward_fn({"ground_truth": TACO}, answer("fault"))
    reward_fn.close()


# -- languages --------------------------------------------------------------------------------


def cpp_answer(code: str) -> str:
    return f"Sketch:\n```python\nnot this\n```\nThe program:\n```cpp\n{code}\n```\n"


def sent_submissions(gateway: FakeGateway) -> list[dict[str, object]]:
    sent: list[dict[str, object]] = []
    for (method, path), body in zip(gateway.calls, gateway.bodies, strict=True):
        if (method, path) == ("POST", "/v1/batches"):
            sent += json.loads(body)["submissions"]
    return sent


def test_trl_grades_in_the_run_language_or_the_row_one(gateway: FakeGateway) -> None:
    reward = CrucibleReward(
        "http://x", language="cpp", client_options={"transport": gateway.transport()}
    )
    rewards = reward(
        prompts=["p", "p"],
        completions=[cpp_answer("ok"), answer("ok")],
        tests=[STDIO, STDIO],
        language=[None, "python"],
    )
    assert rewards == [1.0, 1.0]
    sent = sent_submissions(gateway)
    assert [(s["language"], str(s["code"]).strip()) for s in sent] == [
        ("cpp", "ok"),
        ("python", "ok"),
    ]


def test_verl_reads_a_row_language_from_extra_info(verl_gateway: FakeGateway) -> None:
    scores = verl.compute_score_batch(
        solution_strs=[cpp_answer("ok"), cpp_answer("ok")],
        ground_truths=[STDIO, STDIO],
        extra_infos=[{"language": "cpp"}, {"index": 3}],
        url="http://verl",
        standard=None,
    )
    assert [s["score"] for s in scores] == [1.0, 0.0]  # python finds no ```python program
    sent = sent_submissions(verl_gateway)
    assert [(s["language"], str(s["code"]).strip()) for s in sent] == [
        ("cpp", "ok"),
        ("python", "not this"),
    ]


def test_rllm_takes_the_task_language(gateway: FakeGateway) -> None:
    client = RewardClient("http://x", transport=gateway.transport(), progress=False)
    reward_fn = CrucibleRewardFn(client=client, language="c")
    assert reward_fn.submission({"tests": STDIO}, "```c\nok\n```").language == "c"
    task = {"tests": STDIO, "language": "cpp"}
    chosen = reward_fn.submission(task, cpp_answer("ok"))
    assert (chosen.language, (chosen.code or "").strip()) == ("cpp", "ok")
    reward_fn.close()
