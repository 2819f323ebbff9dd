"""Reward functions for RL trainers, all on crucible.client:

- `crucible.integrations.trl`: TRL GRPOTrainer `reward_funcs` (sync and async).
- `crucible.integrations.verl`: verl `custom_reward_function` (`compute_score`, and
  `compute_score_batch` for `reward_manager=batch`).
- `crucible.integrations.rllm`: an rLLM `RewardFunction` (`(task_info, action) -> RewardOutput`).

None of them imports its trainer: each follows the trainer's calling convention, so this
package installs without torch.
"""
