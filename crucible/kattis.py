"""Kattis problem packages, read as they are, into a test set and the limits to grade with.

Both problem.yaml formats: the legacy one (`validation: default | custom [interactive]
[score]`, `validator_flags`) and the 2023-07 draft (`problem_format_version`, `type:`, the
flags in data/testdata.yaml as `output_validator_flags` or `output_validator_args`).  The
tests are data/sample then data/secret, every `.in` with its `.ans`, nested folders
included, each part in sorted path order.  A problem with its own output validator
(`output_validator/` or `output_validators/`: one program, a single file, a folder of
sources, or a folder with `build` and `run` scripts) carries it as the test set's kattis
checker; one without is graded by the Kattis
default validator's rules, the `kattis` comparator with the package's flags.  An
interactive problem is read and marked as such (its checker's `interactive`): its
validator is the interactor.  Reading needs PyYAML (`pip install 'crucible[kattis]'`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crucible.schema import (
    Checker,
    CheckerLimits,
    CheckerProtocol,
    Comparator,
    Language,
    Limits,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
)

# Kattis's own defaults where a package names none (the format's "typical system default").
DEFAULT_MEMORY_MB = 2048
PARTS = ("sample", "secret")
VALIDATOR_FOLDERS = ("output_validator", "output_validators")
# Where a package's flags for its output validator may stand, in data/'s YAML files.
FLAG_KEYS = ("output_validator_flags", "output_validator_args")
GROUP_FILES = ("testdata.yaml", "test_group.yaml")
SCRIPTS = ("build", "run")
_MAIN = re.compile(r"\bmain\s*\(")


class PackageError(ValueError):
    """The folder is not a Kattis package this reader takes; the message says why."""


@dataclass(frozen=True)
class KattisProblem:
    """A package read: its tests (with its validator as their checker, if it has one), the
    limits and comparator to grade with, and what kind of problem it is."""

    name: str
    folder: Path
    testset: StdioTestSet
    names: tuple[str, ...]  # each test's path under data/, without its suffix
    limits: Limits
    comparator: Comparator
    interactive: bool
    scoring: bool

    def submission(
        self,
        code: str,
        *,
        language: Language = Language.python,
        policy: Policy | None = None,
        limits: Limits | None = None,
    ) -> Submission:
        """`code` to grade against this problem, under its limits unless `limits` is given."""
        return Submission(
            language=language,
            code=code,
            tests=self.testset,
            limits=limits or self.limits,
            policy=policy or Policy(),
            comparator=self.comparator,
        )


def read_kattis_problem(
    folder: str | os.PathLike[str], *, time_s: float | None = None
) -> KattisProblem:
    """The package in `folder`.  Its time limit is its own (.timelimit, or `limits:
    time_limit`), else `time_s`, else the schema's default: Kattis derives most from its
    accepted programs' times, which a package does not hold.  PackageError says what is
    missing or not taken."""
    root = Path(folder)
    config = _yaml(root / "problem.yaml")
    if not isinstance(config, dict):
        raise PackageError(f"{root}/problem.yaml is not a mapping")
    kinds = _kinds(config)
    interactive = "interactive" in kinds
    flags = _flags(config, root)
    checker = _checker(root, config, flags=flags, interactive=interactive, custom="custom" in kinds)
    names, cases = _tests(root, interactive=interactive)
    return KattisProblem(
        name=_name(config, root),
        folder=root,
        testset=StdioTestSet(cases=cases, checker=checker),
        names=names,
        limits=_limits(config, root, time_s),
        comparator=Comparator() if checker else _default_validator(flags),
        interactive=interactive,
        scoring="scoring" in kinds,
    )


def _yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # an optional dependency of the client
        raise ImportError(
            "reading Kattis packages needs PyYAML: pip install 'crucible[kattis]'"
        ) from None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise PackageError(f"{path} is missing: not a Kattis package") from None
    except yaml.YAMLError as exc:
        raise PackageError(f"{path} is not YAML: {exc}") from None


def _kinds(config: dict[str, Any]) -> set[str]:
    """The problem's kinds: `type` (a word or a list: pass-fail, scoring, interactive,
    multi-pass, submit-answer) and the legacy `validation` words (custom, interactive,
    score), with "custom" when the validation is custom."""
    kind = config.get("type", [])
    kinds = set(kind.split() if isinstance(kind, str) else map(str, kind))
    validation = str(config.get("validation", "default")).split()
    kinds.update(word for word in validation if word in ("custom", "interactive"))
    if "score" in validation:
        kinds.add("scoring")
    unread = kinds & {"multi-pass", "submit-answer"}
    if unread:
        raise PackageError(f"{sorted(unread)[0]} problems are not read here")
    return kinds


def _name(config: dict[str, Any], root: Path) -> str:
    name = config.get("name")
    if isinstance(name, dict):  # by language: English if there is one
        name = name.get("en", next(iter(name.values()), None))
    return str(name) if name else root.name


def _flags(config: dict[str, Any], root: Path) -> list[str]:
    """problem.yaml's validator_flags, then data/testdata.yaml's output validator flags;
    a test group with other flags of its own is not read (one checker serves every test)."""
    flags = _words(config.get("validator_flags"))
    groups: dict[str, list[str]] = {}
    for path in sorted((root / "data").rglob("*.yaml")):
        if path.name not in GROUP_FILES:
            continue
        group = _yaml(path)
        given = [key for key in FLAG_KEYS if isinstance(group, dict) and key in group]
        if given:
            groups[str(path.relative_to(root))] = _words(group[given[0]])
    tops = [groups.pop(f"data/{name}") for name in GROUP_FILES if f"data/{name}" in groups]
    top = tops[0] if tops else []
    other = sorted(name for name, words in groups.items() if words != top)
    if other:
        raise PackageError(f"{other[0]} gives its group validator flags of its own: not read here")
    return flags + top


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(word) for word in value]


def _default_validator(flags: list[str]) -> Comparator:
    try:
        return Comparator.kattis(flags)
    except ValueError as exc:
        raise PackageError(f"the default validator's flags: {exc}") from None


def _limits(config: dict[str, Any], root: Path, time_s: float | None) -> Limits:
    limits = config.get("limits") or {}
    fields: dict[str, Any] = {"memory_mb": int(limits.get("memory", DEFAULT_MEMORY_MB))}
    timelimit = root / ".timelimit"
    own = limits.get("time_limit")
    if timelimit.is_file():
        own = timelimit.read_text().split()[0]
    chosen = own if own is not None else time_s
    if chosen is not None:
        fields["time_s"] = float(chosen)
    if "output" in limits:
        fields["output_kb"] = int(limits["output"]) * 1024
    return Limits(**fields)


def _checker_limits(config: dict[str, Any]) -> CheckerLimits:
    limits = config.get("limits") or {}
    fields: dict[str, Any] = {}
    if "validation_time" in limits:
        fields["time_s"] = float(limits["validation_time"])
    if "validation_memory" in limits:
        fields["memory_mb"] = int(limits["validation_memory"])
    return CheckerLimits(**fields)


def _checker(
    root: Path, config: dict[str, Any], *, flags: list[str], interactive: bool, custom: bool
) -> Checker | None:
    """The package's output validator as a kattis checker; None where it has none (the
    legacy format says so with `validation: default`, the 2023-07 draft by its absence)."""
    folders = [root / name for name in VALIDATOR_FOLDERS if (root / name).is_dir()]
    legacy = "problem_format_version" not in config
    if not folders or (legacy and not custom and not interactive):
        if custom or interactive:
            raise PackageError(f"{root.name} asks for its own output validator but has none")
        return None
    program = _program(_the_program(folders[0]))
    return Checker(
        protocol=CheckerProtocol.kattis,
        language=program.language,
        source=program.source,
        files=program.files,
        scripts=program.scripts,
        flags=flags,
        interactive=interactive,
        limits=_checker_limits(config),
    )


def _the_program(folder: Path) -> Path:
    """The one program in a validator folder: the folder itself when it holds sources or
    scripts, else its one entry (a folder or a single file)."""
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if any(p.is_file() and (_language(p) or p.name in SCRIPTS) for p in entries):
        return folder
    if len(entries) != 1:
        raise PackageError(f"{folder} holds {len(entries)} programs; one is read")
    return entries[0]


@dataclass(frozen=True)
class _Program:
    language: Language
    source: str  # its main file, or its `build` script
    files: dict[str, str]  # the rest of its folder, by path
    scripts: bool = False


def _program(path: Path) -> _Program:
    """A validator program: a single file, a folder of sources in one language, or a
    folder with `build` and `run` scripts (`build` runs first, then `run` is the program)."""
    if path.is_file():
        language = _language(path)
        if language is None:
            raise PackageError(f"{path}: no language of its suffix is run here")
        return _Program(language, _text(path), {})
    files = {str(p.relative_to(path)): p for p in sorted(path.rglob("*")) if p.is_file()}
    if set(files) & set(SCRIPTS):
        build = _text(files.pop("build")) if "build" in files else ":\n"
        others = {name: _text(p) for name, p in files.items()}
        return _Program(Language.cpp, build, others, scripts=True)
    languages = {lang for p in files.values() if (lang := _language(p)) is not None}
    if len(languages) != 1:
        raise PackageError(f"{path}: sources in {len(languages)} languages; one is read")
    language = languages.pop()
    main = _main_source(path, files, language)
    others = {name: _text(p) for name, p in files.items() if name != main}
    return _Program(language, _text(files[main]), others)


def _main_source(path: Path, files: dict[str, Path], language: Language) -> str:
    """The file the program starts from: Python's __main__.py or its one module; for the
    compiled languages, the source that defines main (they compile together)."""
    own = [name for name, p in files.items() if _language(p) == language]
    if language == Language.python:
        if "__main__.py" in files:
            return "__main__.py"
        if len(own) == 1:
            return own[0]
        raise PackageError(f"{path}: several Python modules and no __main__.py")
    with_main = [name for name in own if _MAIN.search(_text(files[name]))]
    return (with_main or own)[0]


def _language(path: Path) -> Language | None:
    from crucible.datasets import language_of  # it re-exports this module's reader

    return language_of(path)


def _tests(root: Path, *, interactive: bool) -> tuple[tuple[str, ...], list[StdioCase]]:
    names: list[str] = []
    cases: list[StdioCase] = []
    for part in PARTS:
        for given in sorted((root / "data" / part).rglob("*.in")):
            answer = given.with_suffix(".ans")
            if not answer.is_file() and not interactive:
                raise PackageError(f"{given} has no {answer.name}")
            names.append(str(given.relative_to(root / "data").with_suffix("")))
            expected = _text(answer) if answer.is_file() else ""
            cases.append(StdioCase(input=_text(given), output=expected))
    if not cases:
        raise PackageError(f"{root} has no tests under data/sample or data/secret")
    return tuple(names), cases


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackageError(f"{path} is not UTF-8 text") from None
