"""Kattis packages read as they are (crucible.kattis): small packages written here in both
problem.yaml formats, every way of giving a validator, flags and limits, and what is refused
with a clear PackageError."""

from __future__ import annotations

from pathlib import Path

import pytest

from crucible.datasets import PackageError, read_kattis_problem
from crucible.schema import Language

VALIDATOR = '#include "validate.h"\nint main(int argc, char **argv) { return 42; }\n'


def package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def data_files(count: int = 1, part: str = "secret") -> dict[str, str]:
    return {f"data/{part}/{i:02}.in": f"{i}\n" for i in range(count)} | {
        f"data/{part}/{i:02}.ans": f"{i * i}\n" for i in range(count)
    }


def test_a_legacy_package_with_the_default_validator(tmp_path: Path) -> None:
    root = package(
        tmp_path / "squares",
        {
            "problem.yaml": "name: Squares\nvalidator_flags: float_tolerance 1e-6 case_sensitive\n"
            "limits:\n  memory: 256\n  output: 2\n",
            ".timelimit": "1.5\n",
            **data_files(2, "sample"),
            **data_files(3),
            "data/secret/group/01.in": "9\n",
            "data/secret/group/01.ans": "81\n",
        },
    )
    problem = read_kattis_problem(root)
    assert problem.name == "Squares" and not problem.interactive and not problem.scoring
    assert problem.names == (
        "sample/00",
        "sample/01",
        "secret/00",
        "secret/01",
        "secret/02",
        "secret/group/01",
    )
    assert problem.testset.cases[-1].output == "81\n" and problem.testset.checker is None
    assert problem.comparator.name == "kattis" and problem.comparator.case_sensitive
    assert problem.comparator.float_relative_tolerance == 1e-6
    limits = problem.limits
    assert (limits.time_s, limits.memory_mb, limits.output_kb) == (1.5, 256, 2048)
    submission = problem.submission("print(1)", language=Language.pypy)
    assert submission.tests == problem.testset and submission.comparator == problem.comparator


def test_a_legacy_custom_validator_in_its_own_folder(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": "validation: custom\nvalidator_flags: strict\n"
            "limits:\n  validation_time: 5\n  validation_memory: 512\n",
            "output_validators/check/validate.cc": VALIDATOR,
            "output_validators/check/validate.h": "#pragma once\n",
            "output_validators/check/README": "notes\n",
            **data_files(),
        },
    )
    checker = read_kattis_problem(root, time_s=3).testset.checker
    assert checker is not None and checker.protocol == "kattis" and checker.language == "cpp"
    assert checker.source == VALIDATOR and set(checker.files) == {"validate.h", "README"}
    assert checker.flags == ["strict"] and not checker.interactive
    assert (checker.limits.time_s, checker.limits.memory_mb) == (5, 512)


def test_a_legacy_default_package_ignores_a_validator_folder(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p", {"problem.yaml": "name: p\n", "output_validators/v.py": "", **data_files()}
    )
    assert read_kattis_problem(root).testset.checker is None


def test_a_2023_package_with_a_single_file_validator(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": "problem_format_version: 2023-07-draft\ntype: [pass-fail]\n"
            "name: {sv: Kvadrater, en: Squares}\nlimits:\n  time_limit: 2\n",
            "output_validator/check.py": "import sys\nsys.exit(42)\n",
            "data/testdata.yaml": "output_validator_args: [case_sensitive]\n",
            "data/secret/testdata.yaml": "output_validator_args: case_sensitive\n",
            **data_files(),
        },
    )
    problem = read_kattis_problem(root, time_s=9)
    assert problem.name == "Squares" and problem.limits.time_s == 2
    checker = problem.testset.checker
    assert checker is not None and checker.language == "python"
    assert checker.flags == ["case_sensitive"] and checker.files == {}


def test_a_2023_package_without_a_validator_uses_the_default_one(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": "problem_format_version: 2023-07-draft\ntype: scoring\n",
            "data/testdata.yaml": "output_validator_flags: space_change_sensitive\n",
            **data_files(),
        },
    )
    problem = read_kattis_problem(root)
    assert problem.scoring and problem.comparator.space_change_sensitive
    assert problem.limits.time_s == 6  # the schema's default: none was given


def test_a_python_validator_package(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": "problem_format_version: 2023-07-draft\n",
            "output_validator/v/__main__.py": "import helper\n",
            "output_validator/v/helper.py": "X = 1\n",
            **data_files(),
        },
    )
    checker = read_kattis_problem(root).testset.checker
    assert checker is not None and checker.source == "import helper\n"
    assert checker.files == {"helper.py": "X = 1\n"}


def test_a_validator_with_build_and_run_scripts(tmp_path: Path) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": "problem_format_version: 2023-07-draft\n",
            "output_validator/v/build": "g++ -o run check.cc\n",
            "output_validator/v/check.cc": VALIDATOR,
            "output_validator/w/run": '#!/bin/sh\nexec python3 v.py "$@"\n',
            "output_validator/w/v.py": "",
            **data_files(),
        },
    )
    (root / "output_validator" / "w").rename(root / "other")
    checker = read_kattis_problem(root).testset.checker
    assert checker is not None and checker.scripts
    assert checker.source == "g++ -o run check.cc\n" and set(checker.files) == {"check.cc"}
    (root / "output_validator" / "v").rename(root / "gone")
    (root / "other").rename(root / "output_validator" / "w")
    checker = read_kattis_problem(root).testset.checker
    assert checker is not None and checker.scripts and checker.source == ":\n"
    assert set(checker.files) == {"run", "v.py"}


@pytest.mark.parametrize(
    "marker",
    ["type: interactive\n", "type: [interactive, scoring]\n", "validation: custom interactive\n"],
)
def test_an_interactive_package_is_read_and_marked(tmp_path: Path, marker: str) -> None:
    root = package(
        tmp_path / "p",
        {
            "problem.yaml": marker,
            "output_validator/v/validate.cc": VALIDATOR,
            "data/sample/1.interaction": ">1\n<2\n",
            "data/secret/1.in": "5\n",
        },
    )
    problem = read_kattis_problem(root)
    assert problem.interactive and problem.testset.checker is not None
    assert problem.testset.checker.interactive
    assert problem.names == ("secret/1",) and problem.testset.cases[0].output == ""


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({}, "problem.yaml is missing"),
        ({"problem.yaml": "- a list\n"}, "not a mapping"),
        ({"problem.yaml": "a: [\n"}, "not YAML"),
        ({"problem.yaml": "name: p\n", "data/secret/1.in": "1\n"}, "has no 1.ans"),
        ({"problem.yaml": "name: p\n"}, "has no tests"),
        ({"problem.yaml": "type: multi-pass\n", **data_files()}, "multi-pass"),
        ({"problem.yaml": "validation: custom\n", **data_files()}, "has none"),
        ({"problem.yaml": "validator_flags: loud\n", **data_files()}, "flags"),
        (
            {
                "problem.yaml": "name: p\n",
                "data/secret/g/testdata.yaml": "output_validator_flags: case_sensitive\n",
                **data_files(),
            },
            "flags of its own",
        ),
        (
            {
                "problem.yaml": "problem_format_version: 2023-07-draft\n",
                "output_validator/a/v.py": "",
                "output_validator/b/v.py": "",
                **data_files(),
            },
            "2 programs",
        ),
        (
            {
                "problem.yaml": "problem_format_version: 2023-07-draft\n",
                "output_validator/v.kt": "",
                **data_files(),
            },
            "no language",
        ),
        (
            {
                "problem.yaml": "problem_format_version: 2023-07-draft\n",
                "output_validator/v/a.py": "",
                "output_validator/v/b.py": "",
                **data_files(),
            },
            "no __main__.py",
        ),
    ],
)
def test_what_is_not_read_says_why(tmp_path: Path, files: dict[str, str], why: str) -> None:
    root = package(tmp_path / "p", files)
    root.mkdir(exist_ok=True)
    with pytest.raises(PackageError, match=why):
        read_kattis_problem(root)
