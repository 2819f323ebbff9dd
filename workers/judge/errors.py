"""The judge's own faults.  Anything here is our breakage, never the candidate's verdict.

JudgeError                 base; carries a machine-readable `code` and `retryable`
├── SandboxUnavailable     nsjail binary or runtime missing, cgroups unusable
├── JailFailed             the jail did not start, or the harness broke protocol
├── MachineBusy            a test waited so long for a CPU that its own time is unknown
├── BadTestSet             the test set itself is broken (prelude, test code, a checker
│                          that does not build)
├── CheckerFailed          the test set's checker failed on a test: its own failure
│                          (testlib's exit 3), a crash, an exit its protocol does not
│                          define, or a limit; never the program's verdict
├── Unsupported            the test set asks for what is not graded here
└── UnknownTestSet         the job names a test set Redis no longer holds (TTL ran out)

StoreUnavailable           Redis (queue, test sets, results) cannot be reached; the worker
                           leaves the job to its lease, so it runs again once Redis is back
"""

from __future__ import annotations

from crucible.schema import ErrorBody


class JudgeError(Exception):
    code = "judge_error"
    retryable = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, retryable=self.retryable)


class SandboxUnavailable(JudgeError):
    code = "sandbox_unavailable"


class JailFailed(JudgeError):
    code = "jail_failed"


class MachineBusy(JudgeError):
    """Other work held the CPUs so long that a test could not use its own wall time even
    when stretched (issue 13): no verdict can be given, and running it again may."""

    code = "machine_busy"


class BadTestSet(JudgeError):
    code = "bad_testset"
    retryable = False


class CheckerFailed(JudgeError):
    """The checker did not give a verdict its protocol defines.  Whatever made it fail (a
    bug of its own, or output of the program's it does not handle), the test has no
    verdict: running it again gives the same, so it is not retried."""

    code = "checker_failed"
    retryable = False


class Unsupported(JudgeError):
    code = "unsupported"
    retryable = False


class UnknownTestSet(JudgeError):
    code = "unknown_testset"
    retryable = False


class StoreUnavailable(Exception):
    """Redis failed or timed out; never a verdict, never a result."""
