"""One program, one stdin, raw output back: the jail behind SandboxFusion's /run_code.

Same jails and harness as grading (one stdio test), but nothing is compared: the caller gets
the program's stdout, the tail of its stderr, its exit status and whether a limit stopped it,
and the files it was asked to leave in its folder (`workers/judge/runfiles.py`).
"""

from __future__ import annotations

import signal
from collections.abc import Mapping, Sequence

from crucible.schema import Limits, RunOutcome, RunResult
from workers.judge.errors import JailFailed, MachineBusy
from workers.judge.inside import protocol
from workers.judge.inside.protocol import Record
from workers.judge.jail import Jail, killed_by
from workers.judge.runfiles import fetch_files, place_files
from workers.judge.settings import JudgeSettings
from workers.judge.testfiles import TestFiles
from workers.judge.verdicts import cpu_time, memory_kb, most_wall_s, stretch_s

COMPILE_ERROR_EXIT = 1


def run_program(
    jail: Jail,
    program: str,
    *,
    stdin: str,
    limits: Limits,
    settings: JudgeSettings,
    files: Mapping[str, bytes] | None = None,
    fetch: Sequence[str] = (),
    artifact: bytes | None = None,
    argv: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> RunResult:
    """Run `program` on `stdin` in `jail`, with `files` placed in its folder first and the
    regular files among `fetch` read back after; raise JudgeError for faults on our side.
    `artifact`: a built program's, from `program`, which then runs instead, as `argv`, with
    `env` added to its environment."""
    slack = settings.protocol_slack_s
    setup = protocol.build_setup(
        "stdio",
        limits=limits,
        stretch_s=stretch_s(limits),
        argv=argv if artifact is not None else None,
        env=env if artifact is not None else None,
    )
    ready = jail.begin(program, setup, timeout=60 + slack, artifact=artifact)
    signum = killed_by(ready)
    if signum is not None:
        # Only compiling the program runs there before `ready` (`workers.judge.grade`).
        stderr = "compiling the program ended the process that runs it"
        return RunResult(outcome=RunOutcome.finished, signal=signum, stderr=stderr)
    if ready["event"] != protocol.READY:
        raise JailFailed(f"harness did not start: {ready}")
    runtime = str(ready.get("runtime", ""))
    if files:
        place_files(jail, files, timeout=slack)
    if ready.get("compile_error"):
        result = RunResult(
            outcome=RunOutcome.finished,
            exit_code=COMPILE_ERROR_EXIT,
            stderr=str(ready["compile_error"]),
            runtime=runtime,
        )
    else:
        result = _run(jail, stdin=stdin, limits=limits, runtime=runtime, slack=slack)
    if fetch and not jail.lost:  # a lost submission's process fetches nothing
        got = fetch_files(jail, fetch, limit=limits.output_kb * 1024, timeout=slack)
        result = result.model_copy(update={"files": got.files, "files_left_out": got.left_out})
    return result


def _run(jail: Jail, *, stdin: str, limits: Limits, runtime: str, slack: float) -> RunResult:
    files = TestFiles.make("stdio", stdin, output_bytes=limits.output_kb * 1024)
    try:
        command: protocol.RunCommand = {"op": protocol.RUN, "index": 0}
        record = jail.request(command, timeout=most_wall_s(limits) + slack, fds=files.fds)
        raw = files.collect(record, limits.output_kb * 1024)
    finally:
        files.close()
    if "error" in raw:
        raise JailFailed(f"harness could not run the program: {raw['error']}")
    if raw.get("contended") and raw.get("wall_killed"):
        raise MachineBusy(f"the program waited {raw.get('cpu_wait_s', 0):.2f} s for a CPU")
    signum = killed_by(raw)
    if signum is not None:  # the program killed the process running it
        return RunResult(
            outcome=RunOutcome.finished,
            signal=signum,
            stderr=str(raw.get("stderr_tail", "")),
            runtime=runtime,
        )
    return _result(raw, limits, runtime)


def _result(raw: Record, limits: Limits, runtime: str) -> RunResult:
    cpu = cpu_time(raw)
    sig = raw["signal"]
    timed_out = (
        bool(raw["wall_killed"] or raw.get("cpu_killed"))
        or sig == signal.SIGXCPU
        or cpu > limits.time_s
    )
    stdout = raw["stdout"][: limits.output_kb * 1024]
    return RunResult(
        outcome=RunOutcome.time_limit if timed_out else RunOutcome.finished,
        exit_code=raw["exit_code"],
        signal=sig,
        stdout=stdout.decode("utf-8", "replace"),
        stderr=str(raw.get("stderr_tail", "")),
        time_s=cpu,
        wall_s=float(raw["wall_s"]),
        memory_kb=memory_kb(raw),
        runtime=runtime,
    )
