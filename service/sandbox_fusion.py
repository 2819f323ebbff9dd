"""SandboxFusion's /run_code on Crucible's jail: verl's sandbox_fusion reward works unchanged.

`run_timeout` is the program's wall and CPU limit; `memory_limit_MB` <= 0 means the default.
Only Python runs here, and neither `files` nor `fetch_files` are supported.
"""

from __future__ import annotations

from pydantic import ValidationError

from crucible.schema import (
    CommandRunResult,
    Limits,
    RunCodeRequest,
    RunCodeResponse,
    RunOutcome,
    RunRequest,
    RunResult,
)
from service.errors import InvalidRequest, UnsupportedRequest
from service.limits import check_code, check_limits
from service.settings import GatewaySettings

PYTHON_NAMES = frozenset({"python", "python3"})


def to_run_request(request: RunCodeRequest, settings: GatewaySettings) -> RunRequest:
    if request.language not in PYTHON_NAMES:
        raise UnsupportedRequest(f"language {request.language!r} is not run here; use python")
    if request.files or request.fetch_files:
        raise UnsupportedRequest("files and fetch_files are not supported")
    check_code(request.code, settings, where="code")
    memory = {"memory_mb": request.memory_limit_MB} if request.memory_limit_MB > 0 else {}
    try:
        limits = Limits(time_s=request.run_timeout, wall_time_s=request.run_timeout, **memory)
    except ValidationError as exc:
        raise InvalidRequest(f"run_timeout or memory_limit_MB out of range: {exc}") from exc
    check_limits(limits, settings)
    return RunRequest(code=request.code, stdin=request.stdin or "", limits=limits)


def to_response(result: RunResult) -> RunCodeResponse:
    if result.outcome == RunOutcome.error:
        message = result.error.message if result.error else "sandbox error"
        return RunCodeResponse(status="SandboxError", message=message)
    return_code = result.exit_code
    if return_code is None and result.signal is not None:
        return_code = -result.signal  # as Python's subprocess reports a signal
    finished = result.outcome == RunOutcome.finished
    run = CommandRunResult(
        status="Finished" if finished else "TimeLimitExceeded",
        execution_time=result.wall_s,
        return_code=return_code,
        stdout=result.stdout,
        stderr=result.stderr,
    )
    status = "Success" if finished and return_code == 0 else "Failed"
    return RunCodeResponse(status=status, message="", run_result=run)
