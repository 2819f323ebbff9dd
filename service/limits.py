"""This server's caps on what one request may ask for (pure checks, no I/O).

Wire defaults live in the schema; the ceilings a deployment allows live in its settings.
"""

from __future__ import annotations

from crucible.schema import AnyTestSet, AssertTestSet, Limits, Submission
from service.errors import LimitTooHigh, PayloadTooLarge, TooManyTests
from service.settings import GatewaySettings


def test_count(testset: AnyTestSet) -> int:
    return 1 if isinstance(testset, AssertTestSet) else len(testset.cases)


def check_testset(testset: AnyTestSet, settings: GatewaySettings) -> None:
    count = test_count(testset)
    if count > settings.max_tests:
        raise TooManyTests(
            f"the test set has {count} tests; this server takes {settings.max_tests}"
        )


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
