"""The one wire schema: every object that crosses a process boundary.

Imports only the standard library and pydantic, so trainers, the gateway and the
workers can all share it.  Field names here are a stable contract.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

COMPARATOR_VERSIONS: dict[str, int] = {
    "exact": 1,
    "lines": 1,
    "tokens": 1,
    "float": 2,  # 2: an expected integer is matched exactly (issue 12)
    "lcb": 1,
    "kattis": 1,  # the Kattis default output validator's rules
}
# How each checker protocol's exit codes and output become a verdict (workers/judge/checkers.py):
# part of the grade, so a change bumps its entry.
CHECKER_VERSIONS: dict[str, int] = {"testlib": 1, "kattis": 1, "python": 1, "manager": 1}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(StrEnum):
    python = "python"
    c = "c"
    cpp = "cpp"
    java = "java"
    javascript = "javascript"
    rust = "rust"
    pypy = "pypy"
    go = "go"


# Each language's standards (the compiler's -std; Rust's editions), its default first.
STANDARDS: dict[Language, tuple[str, ...]] = {
    Language.python: (),
    Language.c: ("c11", "c17"),
    Language.cpp: ("c++17", "c++20"),
    Language.java: (),
    Language.javascript: (),
    Language.rust: ("2021", "2018", "2015"),
    Language.pypy: (),
    Language.go: (),
}


def check_language(language: Language, standard: str | None, kind: str | None) -> None:
    """ValueError unless `standard` is one of `language`'s and tests of `kind` (None: not
    known here) can run a program in it: call and assert tests are Python's alone."""
    allowed = STANDARDS[language]
    if standard is not None and standard not in allowed:
        choices = ", ".join(allowed) if allowed else "none"
        raise ValueError(f"{language.value} has no standard {standard!r} (choose from {choices})")
    if kind is not None and kind != "stdio" and language != Language.python:
        raise ValueError(
            f"{kind} tests run Python programs only; {language.value} takes stdio tests"
        )


def check_graded(language: Language) -> None:
    """ValueError unless a program in `language` can be built with a test set's grader."""
    if language not in GRADED_LANGUAGES:
        names = " and ".join(lang.value for lang in GRADED_LANGUAGES)
        raise ValueError(f"test sets with a grader take {names} programs, not {language.value}")


class Verdict(StrEnum):
    """What the candidate did on one test.  Judge faults are never a verdict."""

    passed = "passed"
    wrong_answer = "wrong_answer"
    time_limit = "time_limit"
    memory_limit = "memory_limit"
    output_limit = "output_limit"
    runtime_error = "runtime_error"
    compile_error = "compile_error"
    no_code = "no_code"
    skipped = "skipped"


class Status(StrEnum):
    graded = "graded"
    error = "error"


class TestOrder(StrEnum):
    given = "given"
    longest_input_first = "longest_input_first"


class Limits(_Model):
    """Per-test and per-submission resource limits."""

    time_s: float = Field(6.0, gt=0, le=120, description="CPU time per test, seconds.")
    wall_time_s: float | None = Field(
        None, gt=0, le=300, description="Wall clock per test; default 2 * time_s + 1."
    )
    memory_mb: int = Field(1024, ge=16, le=65536, description="Memory per test (cgroup, no swap).")
    output_kb: int = Field(8192, ge=1, le=1048576, description="stdout and stderr cap per test.")
    total_time_s: float = Field(300.0, gt=0, le=3600, description="Wall clock per submission.")
    pids: int = Field(64, ge=4, le=4096, description="Processes and threads in the jail.")

    @property
    def test_wall_s(self) -> float:
        return self.wall_time_s if self.wall_time_s is not None else 2 * self.time_s + 1


class Policy(_Model):
    stop_on_first_failure: bool = True
    max_tests: int | None = Field(None, ge=1, description="Grade at most this many tests.")
    order: TestOrder = TestOrder.given


# The Kattis default validator's flags (problem.yaml's validator_flags): the `kattis`
# comparator's own fields, each absent from a content key while at its default.
KATTIS_FLAGS: dict[str, Any] = {
    "case_sensitive": False,
    "space_change_sensitive": False,
    "float_absolute_tolerance": None,
    "float_relative_tolerance": None,
}


class Comparator(_Model):
    """A named, versioned output comparison.  A bare string is accepted as the name."""

    name: Literal["exact", "lines", "tokens", "float", "lcb", "kattis"] = "lines"
    abs_tol: float = Field(1e-6, ge=0)
    rel_tol: float = Field(1e-6, ge=0)
    case_sensitive: bool = Field(False, description="kattis: tokens compare case-sensitively.")
    space_change_sensitive: bool = Field(
        False, description="kattis: whitespace must match the answer's, byte for byte."
    )
    float_absolute_tolerance: float | None = Field(
        None, ge=0, description="kattis: a number may differ from the answer's by this much."
    )
    float_relative_tolerance: float | None = Field(
        None, ge=0, description="kattis: or by this much times the answer's magnitude."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _kattis_flags_for_kattis(self) -> Comparator:
        if self.name != "kattis":
            given = [
                flag for flag, default in KATTIS_FLAGS.items() if getattr(self, flag) != default
            ]
            if given:
                raise ValueError(f"{given[0]} is a flag of the kattis comparator, not {self.name}")
        return self

    @classmethod
    def kattis(cls, flags: Sequence[str] = ()) -> Comparator:
        """The Kattis default validator with its command-line flags, as problem.yaml's
        `validator_flags` gives them (`float_tolerance E` sets both tolerances); ValueError
        for a flag it does not know, as the validator itself refuses one."""
        fields: dict[str, Any] = {"name": "kattis"}
        words = list(flags)
        while words:
            flag = words.pop(0)
            if flag in ("case_sensitive", "space_change_sensitive"):
                fields[flag] = True
                continue
            targets = {
                "float_tolerance": ("float_absolute_tolerance", "float_relative_tolerance"),
                "float_absolute_tolerance": ("float_absolute_tolerance",),
                "float_relative_tolerance": ("float_relative_tolerance",),
            }.get(flag)
            if targets is None or not words:
                raise ValueError(f"the Kattis default validator takes no flag {flag!r} here")
            value = _finite_float(words.pop(0), flag)
            fields.update(dict.fromkeys(targets, value))
        return cls.model_validate(fields)

    @property
    def version(self) -> int:
        return COMPARATOR_VERSIONS[self.name]

    def key(self) -> dict[str, Any]:
        """What a content key holds of it: its fields and version, the kattis flags only
        where set (keys of the other comparators are as before the flags existed)."""
        fields = self.model_dump(mode="json")
        for flag, default in KATTIS_FLAGS.items():
            if fields[flag] == default:
                del fields[flag]
        return fields | {"version": self.version}


def _finite_float(text: str, flag: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{flag} takes a number, not {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{flag} takes a number at least 0, not {text!r}")
    return value


class StdioCase(_Model):
    input: str
    output: str


class CallCase(_Model):
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    expected: Any


def _kind_required(schema: dict[str, Any]) -> None:
    """`kind` has a default in Python, but on the wire it is the union's tag: required."""
    required = schema.setdefault("required", [])
    if "kind" not in required:
        required.insert(0, "kind")


class _TestSetBase(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_kind_required)

    prelude: str = Field(
        "", description="Trusted code run before the program, in its namespace (imports, helpers)."
    )


class CheckerProtocol(StrEnum):
    """How a checker is run and how its verdict is read (docs/api.md#checkers)."""

    testlib = "testlib"  # checker INPUT OUTPUT ANSWER; exit 0 ok, 1 wa, 2 pe, 3 fail, 7 points
    kattis = "kattis"  # validator INPUT ANSWER FEEDBACK_DIR [flags] < OUTPUT; exit 42 / 43
    python = "python"  # python3 checker.py INPUT OUTPUT ANSWER; prints a score in [0, 1]
    # A communication task's manager (CMS's): manager FROM_0 TO_0 [FROM_1 TO_1 ...] < INPUT,
    # talking with `processes` runs of the program at once; prints a score in [0, 1].
    manager = "manager"


class CheckerLimits(_Model):
    """What one run of a checker (one test) may use, in a jail of its own."""

    time_s: float = Field(10.0, gt=0, le=120, description="CPU time per check, seconds.")
    wall_time_s: float | None = Field(
        None, gt=0, le=300, description="Wall clock per check; default 2 * time_s + 1."
    )
    memory_mb: int = Field(1024, ge=16, le=65536, description="Memory per check (cgroup).")

    @property
    def test_wall_s(self) -> float:
        return self.wall_time_s if self.wall_time_s is not None else 2 * self.time_s + 1


# The checker's own names in its build folder: its source's and its build's.
CHECKER_RESERVED = ("main", "classes", "__main__.py", "build")
MAX_CHECKER_FILES = 64
MAX_CHECKER_FLAGS = 64
# Runs of the program a communication task's manager talks with at once.
MAX_PROCESSES = 4


class Checker(_Model):
    """A program that decides whether a stdio test's output is right, given with the test set
    (Codeforces' testlib checkers, Kattis output validators, Python checkers).  It is built
    once per worker, runs outside the program's jail in one of its own, and sees the test's
    input, the program's output and the expected answer; the program never sees it."""

    protocol: CheckerProtocol
    language: Language = Field(Language.cpp, description="The checker's language.")
    standard: str | None = Field(None, description="Its language standard, as a Submission's.")
    source: str = Field(min_length=1, description="The checker's source (its main file).")
    files: dict[str, str] = Field(
        default_factory=dict,
        description="Files its build needs beside the source (testlib.h, validate.h, more"
        " sources or modules): relative path -> text.  Supplied with the test set.",
    )
    flags: list[str] = Field(
        default_factory=list,
        description="kattis: the arguments after feedback_dir (problem.yaml's validator_flags).",
    )
    scripts: bool = Field(
        False,
        description="Built and started the Kattis way: `source` is the `build` script (run"
        " in the build folder, with `files` there), which leaves a `run` program or script"
        " (or `files` holds one); `run` is the checker.  `language` is then not used.",
    )
    interactive: bool = Field(
        False,
        description="The checker talks with the program while it runs (an interactor: a"
        " Kattis interactive validator, `validator input answer feedback_dir [flags]`, or a"
        " testlib interactor, `interactor input tout answer`), its stdin the program's stdout"
        " and its stdout the program's stdin; it decides as its protocol's checker does.",
    )
    processes: int = Field(
        1,
        ge=1,
        le=MAX_PROCESSES,
        description="manager: how many runs of the program it talks with at once, each in a"
        " jail of its own, over a pair of pipes that are the run's stdin and stdout (with"
        " more than one, each run's argv[1] is its index, 0, 1, ...).",
    )
    limits: CheckerLimits = Field(default_factory=CheckerLimits)
    checker: Checker | None = Field(
        None,
        description="A testlib interactor's checker: once the interaction passed, it checks"
        " what the interactor wrote to TOUT (as the program's output), with the test's input"
        " and answer, and its verdict decides (Codeforces' interactive problems).",
    )

    @field_validator("files")
    @classmethod
    def _build_paths(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_CHECKER_FILES:
            raise ValueError(f"a checker takes at most {MAX_CHECKER_FILES} files")
        _check_paths(list(value))
        for path in value:
            if path.split("/")[0] in CHECKER_RESERVED or path.startswith("main."):
                raise ValueError(f"{path!r} is a name the checker's build uses")
            if any(other.startswith(path + "/") for other in value):
                raise ValueError(f"{path!r} is both a file and a folder")
        return value

    @field_validator("flags")
    @classmethod
    def _plain_flags(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_CHECKER_FLAGS or any("\0" in flag for flag in value):
            raise ValueError(f"at most {MAX_CHECKER_FLAGS} flags, none with a NUL")
        return value

    @model_validator(mode="after")
    def _runnable(self) -> Checker:
        check_language(self.language, self.standard, None)
        if self.flags and self.protocol != CheckerProtocol.kattis:
            raise ValueError("flags are passed to kattis validators only")
        if self.protocol == CheckerProtocol.python and self.language != Language.python:
            raise ValueError("a python checker is in Python (language: python)")
        if self.interactive and self.protocol == CheckerProtocol.python:
            raise ValueError("an interactor follows the testlib or kattis protocol")
        if self.processes != 1 and self.protocol != CheckerProtocol.manager:
            raise ValueError("processes is a manager's (protocol: manager)")
        if self.checker is not None:
            if not (self.interactive and self.protocol == CheckerProtocol.testlib):
                raise ValueError("only a testlib interactor has a checker (of its TOUT)")
            if self.checker.talks or self.checker.checker is not None:
                raise ValueError("an interactor's checker is a plain checker")
        return self

    @property
    def talks(self) -> bool:
        """Whether it runs while the program does, joined to it by pipes: an interactor,
        or a communication task's manager."""
        return self.interactive or self.protocol == CheckerProtocol.manager

    @property
    def version(self) -> int:
        return CHECKER_VERSIONS[self.protocol.value]


# The grader's build folder: the contestant's file (main.c, main.cpp), the artifact and
# Crucible's own runtime and link step (workers/judge/inside/).
GRADER_RESERVED = ("main", "main.c", "main.cpp", "crucible_grader.h", "crucible_link.py")
GRADED_LANGUAGES = (Language.c, Language.cpp)
MAX_GRADER_FILES = 32


class Grader(_Model):
    """An IOI-style batch grader: the task's `main` and headers, compiled with the
    contestant's file, which defines the functions the header declares.  The grader calls
    them through `crucible_isolated` / `crucible_call` (crucible_grader.h, placed beside
    it), in a child process that cannot reach the grader's output (docs/runtime.md)."""

    files: dict[str, str] = Field(
        min_length=1,
        description="The grader's files: relative path -> text.  Those named .c (C) or .cpp,"
        " .cc (C++) are compiled and linked with the contestant's file; the rest (task.h)"
        " are headers both include.",
    )

    @field_validator("files")
    @classmethod
    def _grader_paths(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_GRADER_FILES:
            raise ValueError(f"a grader takes at most {MAX_GRADER_FILES} files")
        _check_paths(list(value))
        for path in value:
            if path.split("/")[0] in GRADER_RESERVED:
                raise ValueError(f"{path!r} is a name the grader's build uses")
            if any(other.startswith(path + "/") for other in value):
                raise ValueError(f"{path!r} is both a file and a folder")
        return value

    def sources(self, language: Language) -> list[str]:
        """The files compiled with a `language` program, in path order."""
        suffixes = (".c",) if language == Language.c else (".cpp", ".cc", ".cxx")
        return sorted(path for path in self.files if path.endswith(suffixes))


class Subtask(_Model):
    """IOI-style: a group of tests worth `points`, scored by its worst test."""

    name: str = Field("", max_length=200)
    points: float = Field(gt=0, le=1e6)
    tests: list[int] = Field(min_length=1, description="Indices of its cases (0-based).")


MAX_SUBTASKS = 1000


class StdioTestSet(_TestSetBase):
    kind: Literal["stdio"] = "stdio"
    cases: list[StdioCase] = Field(min_length=1)
    checker: Checker | None = Field(
        None, description="Decides each test's output instead of the submission's comparator."
    )
    grader: Grader | None = Field(
        None, description="IOI batch task: compiled with the program (C and C++ programs)."
    )
    subtasks: list[Subtask] | None = Field(
        None,
        max_length=MAX_SUBTASKS,
        description="IOI-style groups of tests: the result's `score` is their points earned;"
        " every case is in at least one.",
    )

    @model_validator(mode="after")
    def _subtasks_cover(self) -> StdioTestSet:
        if self.subtasks is None:
            return self
        if not self.subtasks:
            raise ValueError("subtasks, when given, lists at least one")
        covered: set[int] = set()
        for number, subtask in enumerate(self.subtasks):
            if len(set(subtask.tests)) != len(subtask.tests):
                raise ValueError(f"subtask {number} names a test twice")
            if not all(0 <= index < len(self.cases) for index in subtask.tests):
                raise ValueError(f"subtask {number} names a test the test set does not have")
            covered.update(subtask.tests)
        missing = sorted(set(range(len(self.cases))) - covered)
        if missing:
            raise ValueError(f"test {missing[0]} is in no subtask")
        return self


class CallTestSet(_TestSetBase):
    """Function-call tests: a plain function, or a method of LeetCode's `class Solution`."""

    kind: Literal["call"] = "call"
    fn_name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    cases: list[CallCase] = Field(min_length=1)


class AssertTestSet(_TestSetBase):
    """A test program run with the candidate: HumanEval's `check(candidate)` when
    `entry_point` is set; otherwise plain code whose top-level asserts are the tests."""

    kind: Literal["assert"] = "assert"
    code: str = Field(min_length=1)
    entry_point: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")


# TypeAlias, not the `type` statement: trainers import this module on Python 3.11.
AnyTestSet: TypeAlias = StdioTestSet | CallTestSet | AssertTestSet
TestSet = Annotated[AnyTestSet, Field(discriminator="kind")]


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def testset_hash(testset: AnyTestSet) -> str:
    """The content hash a test set is registered under: of every field, bar a stdio test
    set's absent checker, grader and subtasks, and a checker's `processes` of 1 and absent
    checker (so test sets without them hash as before those existed)."""
    fields = testset.model_dump(mode="json")
    for optional in ("checker", "grader", "subtasks"):
        if optional in fields and fields[optional] is None:
            del fields[optional]
    checker = fields.get("checker")
    while checker is not None:
        if checker["processes"] == 1:
            del checker["processes"]
        if checker["checker"] is None:
            del checker["checker"]
        checker = checker.get("checker")
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def _exactly_one(*choices: tuple[str, str]) -> dict[str, Any]:
    """JSON Schema for "exactly one of these fields is given (not null)", so the OpenAPI
    document states the rule the validator below enforces."""
    return {
        "oneOf": [
            {"required": [name], "properties": {name: {"type": kind}}} for name, kind in choices
        ]
    }


class Submission(_Model):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "allOf": [
                _exactly_one(("code", "string"), ("response", "string")),
                _exactly_one(("tests", "object"), ("testset", "string")),
            ]
        },
    )

    language: Language = Language.python
    standard: str | None = Field(
        None,
        description="The language standard: c11 (default) or c17 for c, c++17 (default) or"
        " c++20 for cpp, the edition 2021 (default), 2018 or 2015 for rust; none for the rest.",
    )
    code: str | None = Field(None, description="The program.  Or give `response`.")
    response: str | None = Field(
        None, description="A model's whole answer; its last fenced code block is the program."
    )
    tests: TestSet | None = None
    testset: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="sha256 of a registered test set."
    )
    limits: Limits = Field(default_factory=Limits)
    policy: Policy = Field(default_factory=Policy)
    comparator: Comparator = Field(default_factory=Comparator)

    @model_validator(mode="after")
    def _one_program_one_testset(self) -> Submission:
        if (self.code is None) == (self.response is None):
            raise ValueError("give exactly one of `code` or `response`")
        if (self.tests is None) == (self.testset is None):
            raise ValueError("give exactly one of `tests` or `testset`")
        check_language(self.language, self.standard, self.tests.kind if self.tests else None)
        if isinstance(self.tests, StdioTestSet) and self.tests.grader is not None:
            check_graded(self.language)
        return self

    def content_key(self) -> str:
        """Identity of the grading work: equal keys always get equal results."""
        testset = self.testset or testset_hash(self.tests)  # type: ignore[arg-type]
        payload = {
            "language": self.language.value,
            "code": self.code,
            "response": self.response,
            "testset": testset,
            "limits": self.limits.model_dump(mode="json"),
            "policy": self.policy.model_dump(mode="json"),
            "comparator": self.comparator.key(),
        }
        if self.standard is not None:  # absent as before it existed: the same keys
            payload["standard"] = self.standard
        return hashlib.sha256(canonical_json(payload)).hexdigest()


def detach_testset(
    submission: Submission, *, hashed: dict[int, str] | None = None
) -> tuple[Submission, AnyTestSet | None]:
    """`submission` naming its test set by content hash, and the test set it carried inline
    (None when it named one already): how client and gateway both register a test set once.

    `hashed` (id of a test set object -> its hash, kept by the caller while those objects
    live) spares hashing again an object shared by many submissions (one prompt's samples)."""
    tests = submission.tests
    if tests is None:
        return submission, None
    sha = hashed.get(id(tests)) if hashed is not None else None
    if sha is None:
        sha = testset_hash(tests)
        if hashed is not None:
            hashed[id(tests)] = sha
    return submission.model_copy(update={"tests": None, "testset": sha}), tests


class TestResult(_Model):
    index: int = Field(description="Index of the test in the submission's test set.")
    verdict: Verdict
    time_s: float = 0.0
    memory_kb: int = 0
    exit_code: int | None = None
    signal: int | None = None
    message: str = Field(
        "", description="Why, in a few words (comparator detail, the checker's message, error)."
    )
    stderr_tail: str = ""
    score: float | None = Field(
        None,
        ge=0,
        le=1,
        description="The checker's partial credit for this test, in [0, 1], where it gave one"
        " (testlib points, a python checker's score); the test passed only at 1.",
    )


class SubtaskScore(_Model):
    name: str = ""
    points: float
    score: float | None = Field(
        description="The minimum of its selected tests' scores, in [0, 1]; null when none"
        " of its tests was selected (policy.max_tests)."
    )
    earned: float = Field(description="points x score (0 when not scored).")


class Score(_Model):
    """IOI-style points: each subtask earns points x its worst selected test's score (1 when
    it passed, the checker's partial credit where given, else 0)."""

    total: float = Field(description="The points earned.")
    max: float = Field(description="The points of the subtasks that had a selected test.")
    subtasks: list[SubtaskScore]


class ComparatorInfo(_Model):
    name: str
    version: int


class ErrorBody(_Model):
    """A machine-readable error: returned for bad requests and for judge faults."""

    code: str
    message: str
    retryable: bool = False


class RewardResult(_Model):
    status: Status
    reward: Literal[0, 1] | None = Field(
        description="1 iff every selected test passed; null on error."
    )
    pass_fraction: float | None = None
    verdict: Verdict | None = Field(None, description="First non-passing verdict, or passed.")
    tests: list[TestResult] = Field(default_factory=list)
    comparator: ComparatorInfo | None = None
    language: Language = Language.python
    runtime: str = Field(
        "", description="What the program ran on: CPython 3.11.2, or its toolchain."
    )
    compile: CompileOutput | None = Field(
        None, description="How it was built (compiled languages)."
    )
    time_s: float = 0.0
    error: ErrorBody | None = None
    score: Score | None = Field(
        None, description="Points earned, per subtask: for test sets with `subtasks` only."
    )

    @field_validator("pass_fraction")
    @classmethod
    def _fraction(cls, value: float | None) -> float | None:
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError("pass_fraction must be within [0, 1]")
        return value


# -- the service: raw runs, queued jobs and HTTP envelopes ---------------------------------


# A path in the program's folder, as `files` and `fetch_files` name it: relative, below the
# folder, each part within NAME_MAX, and few enough parts that the folders of the most files
# a gateway places (GatewaySettings.run_code_max_files) fit the folder's 4096 inodes.
MAX_PATH_BYTES = 1024
MAX_PATH_PART_BYTES = 255
MAX_PATH_PARTS = 16


def normal_path(text: str) -> str:
    """`text` as a path relative to the program's folder, with empty and "." parts dropped
    ("./a//b" is "a/b"); ValueError says why it is not one (absolute, "..", NUL, too long
    or too deep)."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError("is not valid UTF-8") from None
    if "\0" in text:
        raise ValueError("holds a NUL character")
    if text.startswith("/"):
        raise ValueError("is absolute; name a path relative to the program's folder")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError('has a ".." part: paths stay inside the program\'s folder')
    if not parts:
        raise ValueError("names no file")
    too_long = any(len(p.encode()) > MAX_PATH_PART_BYTES for p in parts)
    if size > MAX_PATH_BYTES or too_long or len(parts) > MAX_PATH_PARTS:
        raise ValueError(
            f"is too long (at most {MAX_PATH_BYTES} bytes, {MAX_PATH_PART_BYTES} a part,"
            f" {MAX_PATH_PARTS} parts)"
        )
    return "/".join(parts)


class RunRequest(_Model):
    """Run one program on one stdin and keep its raw output (SandboxFusion's /run_code)."""

    language: Language = Language.python
    standard: str | None = Field(None, description="The language standard, as a Submission's.")
    code: str
    stdin: str = ""
    limits: Limits = Field(default_factory=Limits)
    files: dict[str, str] = Field(
        default_factory=dict,
        description="Placed in the program's folder before it runs: path -> base64 content.",
    )
    fetch_files: list[str] = Field(
        default_factory=list,
        description="Regular files read back from the program's folder after it ran.",
    )

    @field_validator("files")
    @classmethod
    def _placed_paths(cls, value: dict[str, str]) -> dict[str, str]:
        _check_paths(list(value))
        for path in value:
            if any(other.startswith(path + "/") for other in value):
                raise ValueError(f"{path!r} is both a file and a folder")
        return value

    @field_validator("fetch_files")
    @classmethod
    def _fetched_paths(cls, value: list[str]) -> list[str]:
        _check_paths(value)
        return value

    @model_validator(mode="after")
    def _known_standard(self) -> RunRequest:
        check_language(self.language, self.standard, None)
        return self

    def content_key(self) -> str:
        payload = {"op": "run", **self.model_dump(mode="json")}
        for name in ("files", "fetch_files", "standard"):  # absent as before they existed
            if not payload[name]:
                del payload[name]
        return hashlib.sha256(canonical_json(payload)).hexdigest()

    def file_contents(self) -> dict[str, bytes]:
        """`files` decoded (the gateway checked the base64)."""
        return {path: base64.b64decode(data) for path, data in self.files.items()}


def _check_paths(paths: list[str]) -> None:
    for path in paths:
        if normal_path(path) != path:
            raise ValueError(f"{path!r} is not a normal relative path")
    if len(set(paths)) != len(paths):
        raise ValueError("a path is named twice")


class RunOutcome(StrEnum):
    finished = "finished"
    time_limit = "time_limit"
    compile_error = "compile_error"
    error = "error"


class CompileOutput(_Model):
    """How a compiled language's program was built: once per submission, in a jail of its own."""

    ok: bool = Field(description="An artifact was built.")
    timed_out: bool = Field(False, description="Compiling ran past its time limit.")
    exit_code: int | None = None
    output: str = Field("", description="The compiler's messages, their last few KB.")
    time_s: float = Field(0.0, description="Wall seconds compiling took (0 from the cache).")
    cached: bool = Field(False, description="Built before on this worker, from the same source.")
    toolchain: str = Field("", description="Compiler, version and flags, e.g. g++ 12.2.0 -O2.")


class RunResult(_Model):
    """What one raw run did.  `error` is set (outcome "error") only for faults on our side."""

    outcome: RunOutcome
    exit_code: int | None = None
    signal: int | None = None
    stdout: str = ""
    stderr: str = Field("", description="The last few KB of stderr.")
    time_s: float = Field(0.0, description="CPU seconds.")
    wall_s: float = 0.0
    memory_kb: int = 0
    runtime: str = ""
    compile: CompileOutput | None = None
    error: ErrorBody | None = None
    files: dict[str, str] = Field(
        default_factory=dict,
        description="The fetched files that were regular files: path -> base64 content.",
    )
    files_left_out: list[str] = Field(
        default_factory=list,
        description="Fetched files left out: together over the output cap (limits.output_kb).",
    )


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"


class SubmissionStatus(_Model):
    """`POST /v1/submissions` and `GET /v1/submissions/{id}`: 200 when done, else 202."""

    id: str
    state: JobState
    result: RewardResult | None = None


class BatchRequest(_Model):
    submissions: list[Submission] = Field(min_length=1)


class BatchAccepted(_Model):
    id: str
    total: int
    cached: int = Field(0, description="Submissions answered from the result cache.")


class BatchStatus(_Model):
    """Results in input order; null where not graded yet."""

    id: str
    total: int
    done: int
    results: list[RewardResult | None]


class TestSetInfo(_Model):
    sha256: str
    kind: Literal["stdio", "call", "assert"]
    tests: int = Field(description="Number of cases (1 for an assert test set).")
    created: bool = Field(description="False when it was already registered.")


class ErrorResponse(_Model):
    """Every error the HTTP API returns."""

    error: ErrorBody


class Health(_Model):
    status: Literal["ok", "unavailable"]
    redis: bool = True
    workers: int = 0


# -- SandboxFusion's /run_code, field for field (bytedance/SandboxFusion sandbox_api.py) ----


class RunCodeRequest(BaseModel):
    # Unknown fields are ignored, as SandboxFusion's own model does.
    compile_timeout: float = 10
    run_timeout: float = Field(10, gt=0)
    memory_limit_MB: int = -1  # noqa: N815 - SandboxFusion's field name
    code: str
    stdin: str | None = None
    language: str
    files: dict[str, str | None] = Field(default_factory=dict)
    fetch_files: list[str] = Field(default_factory=list)
    args: list[str] = Field(default_factory=list)


class CommandRunResult(BaseModel):
    status: Literal["Finished", "Error", "TimeLimitExceeded"]
    execution_time: float | None = None
    return_code: int | None = None
    stdout: str | None = None
    stderr: str | None = None


class RunCodeResponse(BaseModel):
    status: Literal["Success", "Failed", "SandboxError"]
    message: str
    compile_result: CommandRunResult | None = None
    run_result: CommandRunResult | None = None
    executor_pod_name: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
