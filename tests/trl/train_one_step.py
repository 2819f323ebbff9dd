"""One GRPO step with real TRL on the CPU, rewards from a live Crucible gateway.

Run by tests/integration/test_trl_training.py in the Python 3.11 environment that
`make trl-venv` builds (torch, TRL, transformers), so it needs no GPU and no download: the
model is a 2-layer GPT-2 with random weights and the tokenizer is built here.  It prints one
JSON line: the steps trained and what the reward functions were given and returned.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from typing import Any

import torch
from datasets import Dataset
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
from trl import GRPOConfig, GRPOTrainer

from crucible.integrations.trl import AsyncCrucibleReward, CrucibleReward

ADD = {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}
TACO = {"inputs": ["4\n"], "outputs": ["16\n"]}
CORRECT = "Sure:\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"
CALLS: dict[str, list[dict[str, Any]]] = {"sync": [], "async": []}
WORDS = "write a program that adds two numbers squares one number python print input def return"


class CountedReward(CrucibleReward):
    def __call__(self, *args: Any, **kwargs: Any) -> list[float | None]:
        rewards = super().__call__(*args, **kwargs)
        CALLS["sync"].append({"completions": len(kwargs["completions"]), "rewards": rewards})
        return rewards


class CountedAsyncReward(AsyncCrucibleReward):
    __name__ = "crucible_async"

    async def __call__(self, *args: Any, **kwargs: Any) -> list[float | None]:
        rewards = await super().__call__(*args, **kwargs)
        CALLS["async"].append({"completions": len(kwargs["completions"]), "rewards": rewards})
        return rewards


def tokenizer() -> PreTrainedTokenizerFast:
    specials = ["<pad>", "<unk>", "<eos>"]
    vocab = {token: i for i, token in enumerate(specials + sorted(set(WORDS.split())))}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", unk_token="<unk>", eos_token="<eos>"
    )


def model(vocab_size: int) -> GPT2LMHeadModel:
    config = GPT2Config(
        vocab_size=vocab_size, n_embd=32, n_layer=2, n_head=2, n_positions=64,
        bos_token_id=2, eos_token_id=2, pad_token_id=0,
    )  # fmt: skip
    return GPT2LMHeadModel(config)


def dataset() -> Dataset:
    rows = [
        {"prompt": "write a program that adds two numbers", "tests": json.dumps(ADD)},
        {"prompt": "write a program that squares one number", "tests": json.dumps(TACO)},
        {"prompt": "python print input", "tests": json.dumps(ADD)},
        {"prompt": "def return", "tests": json.dumps(TACO)},
    ]
    return Dataset.from_list(rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    sync_reward = CountedReward(args.url)
    # Through the adapter, before training: a right and a wrong program, graded for real.
    direct = sync_reward(
        prompts=["p", "p"], completions=[CORRECT, "```python\nprint(4)\n```"], tests=[ADD, ADD]
    )
    tok = tokenizer()
    with tempfile.TemporaryDirectory() as out:
        config = GRPOConfig(
            output_dir=out, max_steps=1, per_device_train_batch_size=4, num_generations=2,
            max_completion_length=16, learning_rate=1e-3, use_cpu=True, report_to=[],
            logging_steps=1, save_strategy="no", seed=0, dataloader_num_workers=0,
        )  # fmt: skip
        trainer = GRPOTrainer(
            model=model(len(tok)),
            reward_funcs=[sync_reward, CountedAsyncReward(args.url)],
            args=config,
            train_dataset=dataset(),
            processing_class=tok,
        )
        trainer.train()
        steps = trainer.state.global_step
        logs = [entry for entry in trainer.state.log_history if "loss" in entry]
    print(json.dumps({"direct": direct, "steps": steps, "calls": CALLS, "logs": logs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
