"""Every error the client raises: one tree, so a trainer can catch as broadly as it likes.

CrucibleError
├── TransportError              the gateway could not be reached or read (after retries)
│   ├── ConnectError            no connection (refused, DNS, TLS)
│   ├── RequestTimeout          a request's own timeout passed
│   └── ProtocolError           a reply that is not the API's schema
├── ServerError                 the gateway answered {"error": {code, message, retryable}}
│   ├── QueueFull        429    queue_full: backpressure, retried while the deadline allows
│   ├── Unavailable      5xx    redis_unavailable, timeout, internal_error
│   ├── Unauthorized     401    no valid bearer token
│   ├── NotFound         404    no such batch, submission or test set (or it expired)
│   └── BadRequest       4xx    invalid_request, payload_too_large, too_many_tests, ...
├── JudgeFault                  a submission came back status "error" (on_error="raise")
└── DeadlineExceeded            the call's deadline passed before every result came back

A candidate's failure is never an exception: it is a result with reward 0.  These are
failures on our side, and are never turned into a reward.
"""

from __future__ import annotations

from crucible.schema import ErrorBody


class CrucibleError(Exception):
    """Base of every error this package raises."""


class TransportError(CrucibleError):
    """The gateway could not be reached, or its reply could not be read."""


class ConnectError(TransportError):
    pass


class RequestTimeout(TransportError):
    pass


class ProtocolError(TransportError):
    pass


class ServerError(CrucibleError):
    """The gateway answered with an error body; `code` is machine-readable."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int,
        retryable: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.message = message
        self.code = code
        self.status = status
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class QueueFull(ServerError):
    pass


class Unavailable(ServerError):
    pass


class Unauthorized(ServerError):
    pass


class NotFound(ServerError):
    pass


class BadRequest(ServerError):
    pass


class JudgeFault(CrucibleError):
    """The judge could not grade submission `index` (its result had status "error")."""

    def __init__(self, index: int, error: ErrorBody | None) -> None:
        code = error.code if error else "unknown"
        message = error.message if error else "no error detail"
        super().__init__(f"submission {index} was not graded: {code}: {message}")
        self.index = index
        self.error = error


class DeadlineExceeded(CrucibleError):
    """The deadline passed with `missing` results still outstanding."""

    def __init__(self, message: str, *, missing: int = 0) -> None:
        super().__init__(message)
        self.missing = missing
