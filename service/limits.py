"""This server's caps on what one request may ask for (pure checks, no I/O).

Wire defaults live in the schema; the ceilings a deployment allows live in its settings.
"""

from __future__ import annotations

from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    Checker,
    Grader,
    Limits,
    StdioTestSet,
    Submission,
)
from service.errors import (
    LimitTooHigh,
    PayloadTooLarge,
    TooManyFiles,
    TooManyTests,
)
from service.settings import GatewaySettings


def test_count(testset: AnyTestSet) -> int:
    return 1 if isinstance(testset, AssertTestSet) else len(testset.cases)


def check_testset(testset: AnyTestSet, settings: GatewaySettings) -> None:
    count = test_count(testset)
    if count > settings.max_tests:
        raise TooManyTests(
            f"the test set has {count} tests; this server takes {settings.max_tests}"
        )
    if isinstance(testset, StdioTestSet) and testset.checker is not None:
        check_checker(testset.checker, settings)
    if isinstance(testset, StdioTestSet) and testset.grader is not None:
        check_grader(testset.grader, settings)


def check_grader(grader: Grader, settings: GatewaySettings) -> None:
    """A grader's caps: how many files, each one's size and all of them together."""
    if len(grader.files) > settings.max_grader_files:
        raise TooManyFiles(
            f"grader.files has {len(grader.files)} files; this server takes"
            f" {settings.max_grader_files}"
        )
    sizes = {f"grader.files[{path!r}]": _size(text) for path, text in grader.files.items()}
    _cap_sizes(
        sizes, settings.max_grader_kb, settings.max_grader_total_kb, "the grader's files are"
    )


def check_checker(checker: Checker, settings: GatewaySettings, *, where: str = "checker") -> None:
    """A checker's caps (an interactor's, and its own checker's, too): its files' count and
    sizes, its limits."""
    if len(checker.files) > settings.max_checker_files:
        raise TooManyFiles(
            f"{where}.files has {len(checker.files)} files; this server takes"
            f" {settings.max_checker_files}"
        )
    sizes = {f"{where}.source": _size(checker.source)}
    sizes |= {f"{where}.files[{path!r}]": _size(text) for path, text in checker.files.items()}
    together = f"the {where}'s source and files are"
    _cap_sizes(sizes, settings.max_checker_kb, settings.max_checker_total_kb, together)
    limits = checker.limits
    caps = {
        "limits.time_s": (limits.time_s, settings.max_time_s),
        "limits.wall_time_s": (limits.test_wall_s, settings.max_wall_time_s),
        "limits.memory_mb": (limits.memory_mb, settings.max_memory_mb),
        "processes": (checker.processes, settings.max_processes),
    }
    for name, (value, cap) in caps.items():
        if value > cap:
            raise LimitTooHigh(f"{where}.{name} = {value:g} is above this server's cap of {cap:g}")
    if checker.checker is not None:
        check_checker(checker.checker, settings, where=f"{where}.checker")


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def check_limits(limits: Limits, settings: GatewaySettings, *, where: str = "limits") -> None:
    caps = {
        "time_s": (limits.time_s, settings.max_time_s),
        "wall_time_s": (limits.test_wall_s, settings.max_wall_time_s),
        "memory_mb": (limits.memory_mb, settings.max_memory_mb),
        "total_time_s": (limits.total_time_s, settings.max_total_time_s),
        "output_kb": (limits.output_kb, settings.max_output_kb),
    }
    for name, (value, cap) in caps.items():
        if value > cap:
            raise LimitTooHigh(f"{where}.{name} = {value:g} is above this server's cap of {cap:g}")


def check_code(text: str | None, settings: GatewaySettings, *, where: str) -> None:
    if text is not None and len(text) > settings.max_code_kb * 1024:
        raise PayloadTooLarge(f"{where} is over this server's cap of {settings.max_code_kb} KB")


def check_submission(submission: Submission, settings: GatewaySettings, *, where: str = "") -> None:
    """Raise the ApiError for the first cap `submission` exceeds."""
    check_code(submission.code, settings, where=f"{where}code")
    check_code(submission.response, settings, where=f"{where}response")
    check_limits(submission.limits, settings, where=f"{where}limits")
    if submission.tests is not None:
        check_testset(submission.tests, settings)


def _cap_sizes(sizes: dict[str, int], per_file_kb: int, total_kb: int, together: str) -> None:
    """413 for a file over `per_file_kb`, or for all of them over `total_kb` together."""
    for where, size in sizes.items():
        if size > per_file_kb * 1024:
            raise PayloadTooLarge(f"{where} is over this server's cap of {per_file_kb} KB per file")
    if sum(sizes.values()) > total_kb * 1024:
        raise PayloadTooLarge(f"{together} over this server's cap of {total_kb} KB together")
