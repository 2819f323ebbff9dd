"""SandboxFusion's /run_code on Crucible's jail: verl's sandbox_fusion reward works unchanged.

`run_timeout` is the program's wall and CPU limit; `memory_limit_MB` <= 0 means the default.
Python, C, C++, Java, JavaScript, Rust, Go and PyPy run here (`LANGUAGES`: SandboxFusion's
names); a program in another language than Python is built first under the workers' own
compile limits, and a build that fails is a `Failed` response with the compiler's messages
in `compile_result`, as SandboxFusion answers.  `files` are placed in the program's folder
(its working directory) before it runs and `fetch_files` are read back from there after,
both as base64.  How long the gateway waits before its retryable
504 comes from the request itself (`wait_s`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from pydantic import ValidationError

from crucible.schema import (
    CommandRunResult,
    CompileOutput,
    Language,
    Limits,
    RunCodeRequest,
    RunCodeResponse,
    RunOutcome,
    RunRequest,
    RunResult,
    normal_path,
)
from service.errors import (
    InvalidPath,
    InvalidRequest,
    PayloadTooLarge,
    TooManyFiles,
    UnsupportedRequest,
)
from service.limits import check_code, check_limits
from service.settings import GatewaySettings

LANGUAGES = {
    "python": Language.python,
    "python3": Language.python,
    "c": Language.c,
    "cpp": Language.cpp,
    "java": Language.java,
    "nodejs": Language.javascript,
    "javascript": Language.javascript,
    "rust": Language.rust,
    "go": Language.go,
    "pypy": Language.pypy,
    "pypy3": Language.pypy,
}


def to_run_request(request: RunCodeRequest, settings: GatewaySettings) -> RunRequest:
    language = LANGUAGES.get(request.language)
    if language is None:
        names = ", ".join(sorted(LANGUAGES))
        raise UnsupportedRequest(f"language {request.language!r} is not run here; use {names}")
    check_code(request.code, settings, where="code")
    memory = {"memory_mb": request.memory_limit_MB} if request.memory_limit_MB > 0 else {}
    try:
        limits = Limits(time_s=request.run_timeout, wall_time_s=request.run_timeout, **memory)
    except ValidationError as exc:
        raise InvalidRequest(f"run_timeout or memory_limit_MB out of range: {exc}") from exc
    check_limits(limits, settings)
    files = _files(request.files, settings)
    fetch = sorted(set(fetch_paths(request, settings).values()))
    try:
        return RunRequest(
            language=language,
            code=request.code,
            stdin=request.stdin or "",
            limits=limits,
            files=files,
            fetch_files=fetch,
        )
    except ValidationError as exc:  # checked above; a gap there is still the request's
        raise InvalidRequest(f"the request cannot be run: {exc}") from exc


def wait_s(request: RunCodeRequest, settings: GatewaySettings) -> float:
    """How long to wait for the run before answering 504 (retryable: the same request
    again joins the same job).

    A client's own timeout grows with what it asks for: verl's is compile_timeout +
    run_timeout + 10 s, and on a timeout of its own it gives up at once, while a 504 it
    retries.  So the 504 must come before that timeout however long the queue is: the
    wait is compile_timeout + run_timeout + a margin under those 10 s (5 s: the rest is
    left for the round trip and the gateway's own work), capped by run_code_wait_s.
    An empty queue runs the program within run_timeout plus a jail start, well within it."""
    compile_s = request.compile_timeout if request.compile_timeout > 0 else 0.0  # NaN too
    asked = compile_s + request.run_timeout + settings.run_code_wait_margin_s
    return min(asked, settings.run_code_wait_s)


def fetch_paths(request: RunCodeRequest, settings: GatewaySettings) -> dict[str, str]:
    """Each path of `fetch_files` as asked -> as the jail reads it (relative, normal)."""
    if len(request.fetch_files) > settings.run_code_max_files:
        raise TooManyFiles(
            f"{len(request.fetch_files)} fetch_files; this server fetches at most"
            f" {settings.run_code_max_files}"
        )
    return {name: _path(name, "fetch_files") for name in request.fetch_files}


def _files(files: dict[str, str | None], settings: GatewaySettings) -> dict[str, str]:
    """`files` as placed: normal paths, canonical base64; None (as SandboxFusion) skips one."""
    given = {name: data for name, data in files.items() if data is not None}
    if len(given) > settings.run_code_max_files:
        raise TooManyFiles(
            f"{len(given)} files; this server places at most {settings.run_code_max_files}"
        )
    placed: dict[str, str] = {}
    total = 0
    for name, data in given.items():
        path = _path(name, "files")
        if path in placed:
            raise InvalidPath(f"files: {name!r} names the same file as another entry")
        try:
            content = base64.b64decode(data)
        except (binascii.Error, ValueError) as exc:
            raise InvalidRequest(f"files[{name!r}] is not base64: {exc}") from exc
        total += len(content)
        if total > settings.run_code_files_kb * 1024:
            raise PayloadTooLarge(
                f"files are over this server's cap of {settings.run_code_files_kb} KB in all"
            )
        placed[path] = base64.b64encode(content).decode()
    for path in placed:
        if any(other.startswith(path + "/") for other in placed):
            raise InvalidPath(f"files: {path!r} is both a file and a folder")
    return placed


def _path(name: str, where: str) -> str:
    try:
        return normal_path(name)
    except ValueError as exc:
        raise InvalidPath(f"{where}: {name[:100]!r} {exc}") from exc


def to_response(result: RunResult, *, asked: Mapping[str, str] | None = None) -> RunCodeResponse:
    """The SandboxFusion response; `asked` maps each fetch_files path as asked to its normal
    form (`fetch_paths`), so fetched files are keyed as asked, as SandboxFusion keys them."""
    if result.outcome == RunOutcome.error:
        message = result.error.message if result.error else "sandbox error"
        return RunCodeResponse(status="SandboxError", message=message)
    built = _compile_result(result.compile) if result.compile is not None else None
    if result.outcome == RunOutcome.compile_error:
        return RunCodeResponse(status="Failed", message="", compile_result=built)
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
    names = asked if asked is not None else {path: path for path in result.files}
    files = {name: result.files[path] for name, path in names.items() if path in result.files}
    message = ""
    if result.files_left_out:
        left = ", ".join(result.files_left_out[:5])
        message = f"fetch_files left out (together over the output cap): {left}"
    return RunCodeResponse(
        status=status, message=message, compile_result=built, run_result=run, files=files
    )


def _compile_result(compiled: CompileOutput) -> CommandRunResult:
    """How the build went, as SandboxFusion reports a compile step (the compiler's messages
    as its stderr; a cached build took no time)."""
    return CommandRunResult(
        status="TimeLimitExceeded" if compiled.timed_out else "Finished",
        execution_time=compiled.time_s,
        return_code=compiled.exit_code if compiled.exit_code is not None else 0,
        stdout="",
        stderr=compiled.output,
    )
