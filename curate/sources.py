"""Reading a data set to curate: its rows, each as a `Problem` (the test set, the reference
programs, the text to spot duplicates by), and writing the kept rows back as they came.

One reader per container (a JSON list, JSON Lines, gzip or not, a Kattis package or a folder
of them); within a file, each row's format is told from its fields, so mixed files work.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crucible.datasets import (
    code_contests_solutions,
    deepcoder_testset,
    humaneval_submission,
    language_of,
    mbpp_plus_submission,
    mbpp_submission,
)
from crucible.kattis import PackageError, read_kattis_problem
from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    Comparator,
    Language,
    Limits,
    StdioCase,
    StdioTestSet,
    testset_hash,
)

# Fields that hold a row's statement, in the order they are looked for.
TEXT_FIELDS = ("problem", "question", "prompt", "text", "description", "problem_statement")


@dataclass(frozen=True, slots=True)
class Reference:
    language: Language
    code: str
    label: str


@dataclass(frozen=True)
class Problem:
    """One row of the input, read: what grading it needs and what to write back."""

    index: int
    name: str
    source: str
    raw: str  # the row as the input holds it (a JSON Lines line, a JSON value, a folder)
    text: str = ""
    tests: AnyTestSet | None = None
    references: tuple[Reference, ...] = ()
    limits: Limits = field(default_factory=Limits)
    comparator: Comparator = field(default_factory=Comparator)
    error: str = ""  # why the row could not be read; empty when it was

    @property
    def key(self) -> str:
        """Stable across runs of the same input: where the row stands and what it holds."""
        digest = hashlib.sha256(self.raw.encode()).hexdigest()[:16]
        return f"{self.index}:{digest}"

    @property
    def tests_hash(self) -> str:
        return testset_hash(self.tests) if self.tests is not None else ""

    @property
    def normalised_text(self) -> str:
        """Lower case, every run of white space one space: punctuation stays, since problems
        that differ only in a symbol (`<>` for `()`) are different problems."""
        return " ".join(self.text.lower().split())


@dataclass(frozen=True)
class Dataset:
    path: Path
    container: str  # "json", "jsonl" or "kattis"
    problems: list[Problem]


def read_dataset(path: Path, *, languages: Sequence[Language], max_references: int) -> Dataset:
    """Every row of the data set at `path`, read (a row that cannot be has its `error`)."""
    options = _Options(tuple(languages), max_references)
    if path.is_dir():
        return Dataset(path, "kattis", list(_kattis_problems(path, options)))
    if _is_jsonl(path):
        lines = [line for line in _read_text(path).splitlines() if line.strip()]
        rows = [(line, _loads(line)) for line in lines]
        return Dataset(
            path, "jsonl", [_problem(i, raw, row, options) for i, (raw, row) in enumerate(rows)]
        )
    value = json.loads(_read_text(path))
    if not isinstance(value, list):
        raise ValueError(f"{path}: a JSON data set must be a list of rows")
    problems = [_problem(i, json.dumps(row), row, options) for i, row in enumerate(value)]
    return Dataset(path, "json", problems)


def write_rows(dataset: Dataset, kept: Sequence[Problem], path: Path) -> Path:
    """The kept rows in the input's own container; returns the file written."""
    if dataset.container == "kattis":
        target = path.with_suffix(".txt")
        target.write_text("".join(f"{p.raw}\n" for p in kept))
        return target
    if dataset.container == "jsonl":
        target = path.with_suffix(".jsonl")
        text = "".join(f"{p.raw}\n" for p in kept)
    else:
        target = path.with_suffix(".json")
        text = "[" + ",\n".join(p.raw for p in kept) + "]\n"
    if dataset.path.suffix == ".gz":
        target = target.with_name(target.name + ".gz")
        with gzip.open(target, "wt", encoding="utf-8") as out:
            out.write(text)
    else:
        target.write_text(text)
    return target


def count_tests(tests: AnyTestSet) -> int:
    """How many tests the set holds; an assert set counts its `assert` statements (HumanEval's
    `check` and LeetCode's are one test to the judge, but several checks to a curator)."""
    if isinstance(tests, AssertTestSet):
        import ast

        from curate.trivial import parse_quietly

        try:
            tree = parse_quietly(tests.code)
        except SyntaxError:
            return 1
        return max(1, sum(isinstance(node, ast.Assert) for node in ast.walk(tree)))
    return len(tests.cases)


@dataclass(frozen=True, slots=True)
class _Options:
    languages: tuple[Language, ...]
    max_references: int


def _is_jsonl(path: Path) -> bool:
    suffixes = [s for s in path.suffixes if s != ".gz"]
    return bool(suffixes) and suffixes[-1] == ".jsonl"


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as text:
            return text.read()
    return path.read_text(encoding="utf-8")


def _loads(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return exc


def _problem(index: int, raw: str, row: Any, options: _Options) -> Problem:
    if not isinstance(row, Mapping):
        return Problem(index, f"row {index}", "unknown", raw, error="not a JSON object")
    name = str(row.get("task_id") or row.get("name") or row.get("id") or f"row {index}")
    text = next((row[f] for f in TEXT_FIELDS if isinstance(row.get(f), str)), "")
    try:
        source, tests, references, limits = _convert(row, options)
    except (ValueError, KeyError, TypeError) as exc:
        return Problem(index, name, _source_name(row, "unknown"), raw, text=text, error=str(exc))
    capped = tuple(references[: options.max_references])
    comparator = Comparator()
    return Problem(index, name, source, raw, text, tests, capped, limits, comparator)


Converted = tuple[str, AnyTestSet, list[Reference], Limits]


def _convert(row: Mapping[str, Any], options: _Options) -> Converted:  # noqa: PLR0911
    python = Language.python
    if {"canonical_solution", "entry_point", "test"} <= row.keys():
        sub = humaneval_submission(row)
        return "humaneval", sub.tests, [Reference(python, sub.code or "", "canonical")], sub.limits  # type: ignore[return-value]
    if {"canonical_solution", "assertion"} <= row.keys():
        sub = mbpp_plus_submission(row)
        return "mbpp_plus", sub.tests, [Reference(python, sub.code or "", "canonical")], sub.limits  # type: ignore[return-value]
    if "test_list" in row:
        sub = mbpp_submission(row)
        return "mbpp", sub.tests, [Reference(python, sub.code or "", "code")], sub.limits  # type: ignore[return-value]
    if "input_output" in row:  # TACO / APPS as published
        tests = deepcoder_testset(row["input_output"])
        return _source_name(row, "taco"), tests, _solutions(row, options), Limits()
    if "public_tests" in row or "private_tests" in row:  # CodeContests as published
        return "code_contests", _code_contests_tests(row), _solutions(row, options), Limits()
    if "public_test_cases" in row:  # LiveCodeBench as published
        cases = _json_list(row["public_test_cases"]) + _json_list(row.get("private_test_cases"))
        tests = deepcoder_testset(cases, fn_name=_func_name(row))
        return "livecodebench", tests, _solutions(row, options), Limits()
    if "tests" in row:  # DeepCoder / rllm rows, every shape
        tests = deepcoder_testset(row["tests"], fn_name=_func_name(row))
        default = "leetcode" if isinstance(tests, AssertTestSet) else _shape(row["tests"])
        return _source_name(row, default), tests, _solutions(row, options), Limits()
    raise ValueError("no converter knows this row's fields: " + ", ".join(sorted(row)[:8]))


def _source_name(row: Mapping[str, Any], default: str) -> str:
    for field_name in ("data_source", "dataset", "source"):
        value = row.get(field_name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return default


def _shape(tests: Any) -> str:
    """A source name for an rllm row that names none, from the shape of its tests."""
    if isinstance(tests, str):
        tests = json.loads(tests) if tests.lstrip().startswith(("{", "[")) else tests
    if isinstance(tests, list):
        return "livecodebench" if tests and "testtype" in tests[0] else "codeforces"
    return "code_contests" if isinstance(tests, Mapping) and "fn_name" not in tests else "taco"


def _func_name(row: Mapping[str, Any]) -> str | None:
    metadata = row.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            return None
    name = metadata.get("func_name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) and name else None


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, list):
        raise ValueError("LiveCodeBench test cases must be a list")
    return parsed


def _code_contests_tests(row: Mapping[str, Any]) -> StdioTestSet:
    cases: list[StdioCase] = []
    for part in ("public_tests", "private_tests", "generated_tests"):
        block = row.get(part) or {}
        inputs, outputs = block.get("input", []), block.get("output", [])
        cases += [StdioCase(input=i, output=o) for i, o in zip(inputs, outputs, strict=True)]
    if not cases:
        raise ValueError("CodeContests row holds no tests")
    return StdioTestSet(cases=cases)


def _solutions(row: Mapping[str, Any], options: _Options) -> list[Reference]:
    """The row's reference programs in the languages asked for, Python ones first."""
    solutions = row.get("solutions")
    if isinstance(solutions, Mapping):  # CodeContests: {"language": [int], "solution": [str]}
        return [
            Reference(language, code, f"{language.value}[{i}]")
            for language in options.languages
            for i, code in enumerate(code_contests_solutions(row, language))
        ]
    if Language.python not in options.languages:
        return []
    if isinstance(solutions, str) and solutions.lstrip().startswith("["):
        with contextlib.suppress(json.JSONDecodeError):  # or a program that starts with "["
            solutions = json.loads(solutions)
    if isinstance(solutions, str):
        solutions = [solutions]
    if not isinstance(solutions, Sequence):
        return []
    programs = [s for s in solutions if isinstance(s, str) and s.strip()]
    return [Reference(Language.python, code, f"solutions[{i}]") for i, code in enumerate(programs)]


def _kattis_problems(root: Path, options: _Options) -> Iterator[Problem]:
    folders = (
        [root]
        if (root / "problem.yaml").is_file()
        else sorted(p for p in root.iterdir() if (p / "problem.yaml").is_file())
    )
    for index, folder in enumerate(folders):
        yield _kattis_problem(index, folder, options)


def _kattis_problem(index: int, folder: Path, options: _Options) -> Problem:
    raw = str(folder)
    try:
        problem = read_kattis_problem(folder)
    except (PackageError, OSError, ValueError) as exc:
        return Problem(index, folder.name, "kattis", raw, error=str(exc))
    statement = next(iter(sorted((folder / "problem_statement").glob("problem*.tex"))), None)
    references = _kattis_references(folder, options)
    return Problem(
        index=index,
        name=folder.name,
        source="kattis",
        raw=raw,
        text=statement.read_text(errors="replace") if statement else "",
        tests=problem.testset,
        references=tuple(references[: options.max_references]),
        limits=problem.limits,
        comparator=problem.comparator,
    )


def _kattis_references(folder: Path, options: _Options) -> list[Reference]:
    accepted = sorted((folder / "submissions" / "accepted").glob("*"))
    found: list[Reference] = []
    for path in accepted:
        language = language_of(path)
        if not path.is_file() or language not in options.languages:
            continue
        code = path.read_text(errors="replace")
        if language == Language.python and not _compiles(code):
            continue  # Python 2, which is not a language run here
        found.append(Reference(language, code, path.name))
    order = {language: i for i, language in enumerate(options.languages)}
    return sorted(found, key=lambda ref: order[ref.language])


def _compiles(code: str) -> bool:
    from curate.trivial import parse_quietly

    try:
        parse_quietly(code)
    except (SyntaxError, ValueError):
        return False
    return True
