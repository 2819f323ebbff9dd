"""GRPO on code with TRL, rewards from Crucible: a starting point for a real GPU run.

    pip install 'crucible[trl]'           # in the trainer's environment (Python >= 3.11)
    make run                              # a Crucible stack (or point CRUCIBLE_URL at one)
    python examples/train_grpo.py Qwen/Qwen2.5-Coder-1.5B-Instruct \\
        --data ../shared/datasets/rllm-deepcoder/train_leetcode.json --output-dir runs/grpo

The data is a JSON (or JSON Lines) file of DeepCoder/rllm rows, `{"problem", "tests",
"metadata"?}`; `tests` may be any shape crucible.datasets reads (LiveCodeBench, TACO/APPS,
PrimeIntellect, Codeforces, LeetCode `functional`) or a Crucible test set.  Each completion's
last fenced code block is graded DeepCoder's way: the 15 tests with the longest inputs, 6 s
per test, reward 1 only when all pass.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from datasets import Dataset
from trl import GRPOConfig, GRPOTrainer

from crucible.datasets import read_json, read_jsonl
from crucible.integrations.trl import AsyncCrucibleReward
from crucible.schema import Limits, Policy, TestOrder

INSTRUCTIONS = (
    "Solve the problem in Python 3. Think it through, then give the complete program in one"
    " ```python fenced block at the end of your answer."
)


def rows(path: Path) -> list[dict[str, Any]]:
    loaded = list(read_jsonl(path)) if ".jsonl" in path.suffixes else read_json(path)
    if not isinstance(loaded, list):
        raise SystemExit(f"{path}: expected a list of rows")
    return loaded


def dataset(path: Path, limit: int | None) -> Dataset:
    examples = []
    for row in rows(path)[:limit]:
        tests = row["tests"]
        examples.append(
            {
                "prompt": [{"role": "user", "content": f"{row['problem']}\n\n{INSTRUCTIONS}"}],
                # One JSON string per row: Arrow cannot hold the test shapes side by side.
                "tests": tests if isinstance(tests, str) else json.dumps(tests),
                "metadata": json.dumps(row.get("metadata") or {}),
            }
        )
    return Dataset.from_list(examples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a causal LM on the Hugging Face hub, or a local folder")
    parser.add_argument("--data", type=Path, required=True, help="DeepCoder/rllm rows (JSON)")
    parser.add_argument("--output-dir", type=Path, default=Path("runs/grpo"))
    parser.add_argument("--crucible-url", default=None, help="default: CRUCIBLE_URL")
    parser.add_argument("--limit", type=int, default=None, help="use the first N rows")
    parser.add_argument("--num-generations", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=8, help="completions per device step")
    parser.add_argument("--max-completion-length", type=int, default=4096)
    parser.add_argument("--learning-rate", type=float, default=1e-6)
    parser.add_argument("--max-steps", type=int, default=-1)
    parser.add_argument("--use-vllm", action="store_true", help="generate with vLLM (colocate)")
    args = parser.parse_args()

    reward = AsyncCrucibleReward(
        args.crucible_url,
        limits=Limits(time_s=6.0),
        policy=Policy(max_tests=15, order=TestOrder.longest_input_first),
        on_error="none",  # a judge fault is "no reward" for that completion, never a 0
        progress=True,
    )
    config = GRPOConfig(
        output_dir=str(args.output_dir),
        num_generations=args.num_generations,
        per_device_train_batch_size=args.batch_size,
        max_completion_length=args.max_completion_length,
        learning_rate=args.learning_rate,
        max_steps=args.max_steps,
        bf16=True,
        gradient_checkpointing=True,
        logging_steps=1,
        save_steps=100,
        use_vllm=args.use_vllm,
        vllm_mode="colocate",
        report_to="none",
    )
    trainer = GRPOTrainer(
        model=args.model,
        reward_funcs=[reward],
        args=config,
        train_dataset=dataset(args.data, args.limit),
    )
    trainer.train()
    trainer.save_model(str(args.output_dir / "final"))


if __name__ == "__main__":
    main()
