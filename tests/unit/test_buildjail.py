"""A warm compile jail's lifetime leaves room for several of the longest builds."""

from __future__ import annotations

import pytest

from workers.judge.buildjail import LIFETIME_BUILDS, LIFETIME_S, lifetime_s
from workers.judge.settings import JudgeSettings


def test_a_jail_lives_long_enough_for_several_of_the_longest_builds() -> None:
    assert lifetime_s(JudgeSettings()) == LIFETIME_S  # 30 s builds: the default lifetime
    slow = JudgeSettings(compile_time_s=600, protocol_slack_s=5)
    assert lifetime_s(slow) == pytest.approx(LIFETIME_BUILDS * 610)
