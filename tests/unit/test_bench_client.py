"""`crucible bench client`: the step it grades (in Python or C++) and the section it writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.client import PROGRAMS, Run, render, step
from bench.doc import CLIENT_CPP_SECTION, CLIENT_SECTION
from crucible.schema import Language


def test_a_cpp_step_is_distinct_programs_one_in_four_wrong() -> None:
    groups = step(3, 8, 2, Language.cpp)
    flat = [s for group in groups for s in group]
    assert len(flat) == 24 and {s.language for s in flat} == {Language.cpp}
    assert len({s.code for s in flat}) == 24  # every program new: each builds once, cold
    _, wrong, _ = PROGRAMS[Language.cpp]
    assert sum((s.code or "").startswith(wrong) for s in flat) == 6
    assert all(group[0].tests == group[1].tests for group in groups)


def test_the_cpp_programs_are_right_and_wrong_as_built(tmp_path: Path) -> None:
    right, wrong, _ = PROGRAMS[Language.cpp]
    short, long_ = "3\n1 2 3\n", "101\n" + " ".join(["1"] * 101) + "\n"
    answers = {}
    for name, source in (("right", right), ("wrong", wrong)):
        (tmp_path / f"{name}.cpp").write_text(source)
        subprocess.run(
            ["g++", "-O2", "-o", str(tmp_path / name), str(tmp_path / f"{name}.cpp")], check=True
        )
        answers[name] = [
            subprocess.run(
                [str(tmp_path / name)], input=data, capture_output=True, text=True, check=True
            ).stdout
            for data in (short, long_)
        ]
    assert answers["right"] == ["6\n", "101\n"]
    assert answers["wrong"] == ["6\n", "102\n"]  # wrong on long inputs only


def test_the_cpp_section_says_what_building_cost() -> None:
    runs = [
        Run("grade_many, cold", 10.0, 12, 200, judge_s=8.0, build_s=6.0),
        Run("submit per problem, then collect", 9.0, 12, 200, judge_s=8.0, build_s=0.0),
        Run("grade_many again (all cached)", 0.5, 12, 0, judge_s=0.0),
    ]
    text = render(runs, workers=2, problems=4, samples=4, tests=2, language=Language.cpp)
    assert text.startswith(CLIENT_CPP_SECTION)
    assert "6.0 s of the judge's 8.0 s (75%) went to building" in text
    python = render(runs, workers=2, problems=4, samples=4, tests=2)
    assert python.startswith(CLIENT_SECTION) and "went to building" not in python
