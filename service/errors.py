"""Every error the HTTP API returns: one class per machine-readable code.

ApiError                       body {"error": {"code", "message", "retryable"}}
├── InvalidRequest      422    invalid_request: malformed JSON, wrong types (pydantic locations)
├── PayloadTooLarge     413    payload_too_large: body, code, response, files, checker over caps
├── TooManyTests        422    too_many_tests: a test set over max_tests
├── BatchTooLarge       422    batch_too_large: more submissions than max_batch
├── UnknownTestSet      422    unknown_testset: register it (PUT) and send again
├── TestSetHashMismatch 400    testset_hash_mismatch: the body does not hash to the path
├── LimitTooHigh        422    limit_too_high: a limit above this server's cap
├── UnsupportedRequest  422    unsupported: a /run_code language not run; an interactive test set
├── InvalidPath         422    invalid_path: a /run_code file path that is absolute, has "..", ...
├── TooManyFiles        422    too_many_files: /run_code files, fetch_files, checker files over cap
├── NotFound            404    not_found: no such submission, batch or test set (or expired)
├── Unauthorized        401    unauthorized: tokens are configured; none valid was given
├── MethodNotAllowed    405    method_not_allowed
├── QueueFull           429    queue_full (+ Retry-After): too much queued work
├── RedisUnavailable    503    redis_unavailable (+ Retry-After): the store is unreachable
├── RunTimeout          504    timeout: /run_code waited its longest; send it again to rejoin
└── InternalError       500    internal_error: a bug of ours, logged
"""

from __future__ import annotations

from typing import ClassVar

from crucible.schema import ErrorBody, ErrorResponse


class ApiError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def response_body(self) -> ErrorResponse:
        return ErrorResponse(
            error=ErrorBody(code=self.code, message=self.message, retryable=self.retryable)
        )


class InvalidRequest(ApiError):
    status, code = 422, "invalid_request"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class TooManyTests(ApiError):
    status, code = 422, "too_many_tests"


class BatchTooLarge(ApiError):
    status, code = 422, "batch_too_large"


class UnknownTestSet(ApiError):
    status, code = 422, "unknown_testset"


class TestSetHashMismatch(ApiError):
    status, code = 400, "testset_hash_mismatch"


class LimitTooHigh(ApiError):
    status, code = 422, "limit_too_high"


class UnsupportedRequest(ApiError):
    status, code = 422, "unsupported"


class InvalidPath(ApiError):
    status, code = 422, "invalid_path"


class TooManyFiles(ApiError):
    status, code = 422, "too_many_files"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class MethodNotAllowed(ApiError):
    status, code = 405, "method_not_allowed"


class QueueFull(ApiError):
    status, code, retryable = 429, "queue_full", True


class RedisUnavailable(ApiError):
    status, code, retryable = 503, "redis_unavailable", True


class RunTimeout(ApiError):
    status, code, retryable = 504, "timeout", True


class InternalError(ApiError):
    status, code, retryable = 500, "internal_error", True


ERROR_CODES: tuple[str, ...] = tuple(sorted({cls.code for cls in ApiError.__subclasses__()}))
