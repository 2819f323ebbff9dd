"""Interactive tests: the program and the test set's interactor, each in a jail of its own,
joined only by two pipes the worker makes for each test.

The program's side is a stdio run in its own warm jail whose stdin and stdout are the pipes'
ends instead of memfds (its stderr is still a capped memfd); the interactor's side is a run
in the checker's jail (`checkers.py`, kind `check`) with the other ends as its stdin and
stdout, beside the test's input, the expected answer and a feedback folder.  Both start at
once; the worker then drops its own copies of the pipes, so each side sees the end of its
input, or a broken pipe, as soon as the other's processes are gone, and waits for both
records, each with a deadline.  Each harness reports when its process was seen ended (on
the monotonic clock the jails share) and whether the other side had closed its output by
then: who ended first, which `decide` needs.

A communication task (IOI's, CMS's) is the same with a manager for the interactor and
several runs of the program at once, each in a warm jail of its own with its own pair of
pipes (`_Pipes`); the manager reads the test's input on its stdin, names the pipes'
ends on its argv and prints a score.  The runs together are the program: the first that
failed decides, and their CPU time together is held to the time limit (`_as_one`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass

from crucible.schema import CheckerProtocol, Comparator, Limits, Submission, TestResult, Verdict
from workers.judge.checkers import (
    CHECKER_OUTPUT_BYTES,
    READERS,
    Checked,
    CheckerJail,
    require_ran,
)
from workers.judge.errors import CheckerFailed
from workers.judge.inside import checking, protocol
from workers.judge.inside.protocol import Record, RunCommand
from workers.judge.jail import Jail, killed_by
from workers.judge.subtasks import Stopping
from workers.judge.testfiles import capped_memfd, collect_stderr, sealed_memfd, written
from workers.judge.verdicts import classify, most_wall_s, stretch_s

MESSAGE_CHARS = 2000
# Two ends seen this close together are taken as one: a process is seen ended a little after
# it closed its pipes, and an interactor that rejects at the end of its input can end within
# that time.  Within it the program's own failure stands (both are a 0).
SAME_END_S = 0.005
# A program whose output its interactor's harness saw closed before the interactor ended (in
# a wake-up of its own, `peer_closed_at`) went first: the interactor then ended first only
# if the program's end was seen this much later still (it hung up and ran on, to a limit or
# a crash).  Within it, the time either harness waited for a CPU cannot reorder the two.
CLOSED_FIRST_S = 0.25


@dataclass(frozen=True, slots=True)
class Order:
    """How the two sides ended.  `program_closed`: the program's output was closed (it
    ended, was stopped, or hung up) by the time the interactor's end was seen;
    `interactor_first`: the interactor's end was seen clearly before the program's (by
    more than SAME_END_S, or CLOSED_FIRST_S once the program's output was seen closed
    first).  A program its harness killed ended when it was killed."""

    program_closed: bool
    interactor_first: bool

    @classmethod
    def seen(cls, program: Record, interactor: Record) -> Order:
        ours, theirs = program.get("ended_at", 0.0), interactor.get("ended_at", 0.0)
        margin = CLOSED_FIRST_S if "peer_closed_at" in interactor else SAME_END_S
        return cls(
            program_closed=bool(interactor.get("peer_closed")),
            interactor_first=theirs + margin < ours,
        )


def decide(program: TestResult, outcome: Checked | CheckerFailed, order: Order) -> TestResult:
    """One interactive test's verdict from the program's own result (`program`: its limits,
    crash or exit, as if its output were right), what the interactor made of it (`outcome`:
    its verdict, or its failure) and how the two ended.

    1. The interactor failed (a crash, a limit, an exit its protocol does not define):
       - while the program still had its output open: the judge's fault, CheckerFailed
         (raised);
       - once the program had closed its output (ended, was stopped at a limit, or hung
         up): the program's doing as far as anyone can tell, so it counts against the
         program: its own verdict if it failed, else `wrong_answer`.  A program cannot turn
         its 0 into an error by leaving early.
    2. The program failed on its own (a limit, a crash, a non-zero exit): its verdict,
       unless the interactor had rejected it and ended first (a program that then ran into
       a limit or crashed, having lost its partner, gets `wrong_answer`).  The interactor
       ended first when the program's output was still open at its end, when its end was
       seen clearly (SAME_END_S) before the program's, or when the program was killed by
       SIGPIPE or died of a BrokenPipeError (it wrote to an interactor already gone).
    3. The interactor rejected: `wrong_answer`, with its message.
    4. The interactor accepted and the program exited 0: `passed`.
    """
    failed = program.verdict != Verdict.passed
    if isinstance(outcome, CheckerFailed):
        if not order.program_closed:
            raise outcome
        if failed:
            return program
        message = f"the interactor failed once the program had closed its output: {outcome}"
        return _with(program, Verdict.wrong_answer, message)
    rejected_first = outcome.verdict != Verdict.passed and (
        order.interactor_first or not order.program_closed or _lost_its_reader(program)
    )
    if failed and not rejected_first:
        return _with(program, program.verdict, _joined(program.message, outcome.message))
    return _with(program, outcome.verdict, outcome.message, outcome.score)


def run_interactive_tests(
    jails: Sequence[Jail],
    interactor: CheckerJail,
    tests: list[tuple[int, str, str]],
    *,
    submission: Submission,
    budget_end: float,
    slack: float,
    stopping: Stopping,
    then: CheckerJail | None = None,
) -> list[TestResult]:
    """Run `tests` (index, input, answer) one at a time, early exit as `stopping` says: per
    test, one run of the program in each of `jails` (an interactor talks with one; a
    communication task's manager with its `processes`), and where the interaction passed,
    `then` (a testlib interactor's checker) on what the interactor wrote to TOUT.  The
    interactor's time after the programs' ends is not theirs: it moves the submission's
    budget on, and counts against the interactor's own budget; so does the checker's."""
    results: list[TestResult] = []
    for index, given, answer in tests:
        if stopping.skips(index):
            results.append(_skipped(index))
            continue
        if budget_end - time.monotonic() <= 0:
            results.append(_over_budget(index))
            continue
        result, after_s = _talk(
            jails,
            interactor,
            (index, given, answer),
            limits=submission.limits,
            budget_end=budget_end,
            slack=slack,
            then=then,
        )
        budget_end += after_s
        stopping.record(result)
        results.append(result)
    return results


def _talk(
    jails: Sequence[Jail],
    interactor: CheckerJail,
    test: tuple[int, str, str],
    *,
    limits: Limits,
    budget_end: float,
    slack: float,
    then: CheckerJail | None = None,
) -> tuple[TestResult, float]:
    """One test: every side started, every record awaited (then the interactor's TOUT
    checked, `then`).  The test's result, and how long the interactor and the checker ran
    on after the programs' records came."""
    index, given, answer = test
    if interactor.spent_s >= interactor.budget_s:
        raise CheckerFailed(
            f"the interactor ran {interactor.spent_s:.1f} s past the program's ends, over"
            f" the submission's total time of {interactor.budget_s:g} s"
        )
    own = interactor.checker.limits
    program_wall = most_wall_s(limits)
    manager = interactor.checker.protocol == CheckerProtocol.manager
    sides = _Pipes.make(
        given,
        answer,
        output_bytes=limits.output_kb * 1024,
        processes=len(jails),
        manager=manager,
    )
    try:
        interactor.runs += 1
        theirs: RunCommand = {
            "op": protocol.RUN,
            "index": interactor.runs,
            "interactive": True,
            "limits": {
                "wall_s": program_wall + own.test_wall_s,
                "stretch_s": 2 * own.test_wall_s,
                "until": budget_end + own.test_wall_s,
            },
        }
        if manager:
            theirs["pipes"] = len(jails)
        started = time.monotonic()
        their_deadline = started + 3 * (program_wall + own.test_wall_s) + slack
        interactor.jail.send(interactor.jail.encode(theirs), their_deadline, sides.interactor)
        our_deadline = started + program_wall + slack
        for run, jail in enumerate(jails):
            ours: RunCommand = {
                "op": protocol.RUN,
                "index": index,
                "interactive": True,
                "limits": {
                    "wall_s": limits.test_wall_s,
                    "stretch_s": stretch_s(limits),
                    "until": budget_end,
                },
            }
            if len(jails) > 1:
                ours["args"] = [str(run)]  # CMS's: each run is told its index
            jail.send(jail.encode(ours), our_deadline, sides.programs[run])
        sides.hang_up()  # from here only the sides hold the pipes
        raws: list[Record] = []
        for run, jail in enumerate(jails):
            raw = jail.receive(our_deadline)
            collect_stderr(raw, sides.programs[run][2], limits.output_kb * 1024)
            raw["stdout"] = b""
            raws.append(raw)
        programs_ended = time.monotonic()
        their = interactor.jail.receive(their_deadline)
        interactor.spent_s += time.monotonic() - programs_ended
        result = _result(index, raws, their, sides, interactor=interactor, limits=limits)
        if then is not None and result.verdict == Verdict.passed:
            cap = limits.output_kb * 1024
            result = _checked_tout(result, then, sides.tout, given=given, answer=answer, cap=cap)
        return result, time.monotonic() - programs_ended
    finally:
        sides.close()


def _result(
    index: int,
    raws: list[Record],
    their: Record,
    sides: _Pipes,
    *,
    interactor: CheckerJail,
    limits: Limits,
) -> TestResult:
    """The test's result from every record (`decide`)."""
    for raw in raws:
        if killed_by(raw) is not None:
            # The program's process ended the harness's: its runtime error, whatever else.
            return TestResult(
                index=index,
                verdict=Verdict.runtime_error,
                message="the program killed or stopped the process that runs its tests",
                signal=raw["signal"],
            )
    runs = []
    for raw in raws:
        if "oom_kills" in raw:
            raw["oom_killed"] = raw["oom_kills"] > 0
        runs.append(
            classify(
                raw,
                kind="stdio",
                expected="",
                limits=limits,
                comparator=Comparator(),  # not used: `check` stands in for it
                check=lambda _: (Verdict.passed, "", None),
            )
        )
    program, raw = _as_one(runs, raws, limits)
    outcome: Checked | CheckerFailed
    try:
        require_ran(their, interactor.checker)
        read = READERS[interactor.checker.protocol]
        outcome = read(
            their.get("exit_code"),
            _text(written(sides.their_stdout, CHECKER_OUTPUT_BYTES)) if sides.manager else "",
            _text(written(sides.their_stderr, CHECKER_OUTPUT_BYTES)),
            _text(os.pread(sides.feedback, checking.MESSAGE_BYTES, 0)),
        )
    except CheckerFailed as exc:
        outcome = exc
    return decide(program, outcome, Order.seen(raw, their))


def _checked_tout(
    result: TestResult, then: CheckerJail, tout: int, *, given: str, answer: str, cap: int
) -> TestResult:
    """A passed interaction's verdict from its interactor's checker, which reads what the
    interactor wrote to TOUT as the program's output (testlib's way), with the test's input
    and answer; CheckerFailed (an error) for a TOUT over the program's output cap."""
    size = os.fstat(tout).st_size
    if size > cap:
        raise CheckerFailed(f"the interactor wrote {size} bytes to TOUT, over the cap of {cap}")
    checked = then.check(given=given, answer=answer, output=os.pread(tout, size, 0))
    return _with(result, checked.verdict, checked.message or result.message, checked.score)


def _as_one(
    runs: list[TestResult], raws: list[Record], limits: Limits
) -> tuple[TestResult, Record]:
    """The program's result over its runs (one, or a communication task's several) and the
    record that decides the order of ends: the first run that failed, named; else, when
    the runs' CPU time together is over the limit (CMS's rule), a time limit; else the
    runs' totals, with the record of the run that ended last."""
    if len(runs) == 1:
        return runs[0], raws[0]
    for run, (result, raw) in enumerate(zip(runs, raws, strict=True)):
        if result.verdict != Verdict.passed:
            return _with(result, result.verdict, f"run {run}: {result.message}"), raw
    cpu_s = sum(result.time_s for result in runs)
    last = max(range(len(raws)), key=lambda run: raws[run].get("ended_at", 0.0))
    total = runs[last].model_copy(
        update={
            "time_s": round(cpu_s, 6),
            "memory_kb": max(result.memory_kb for result in runs),
        }
    )
    if cpu_s > limits.time_s:
        message = (
            f"the {len(runs)} runs took {cpu_s:.3f} s of CPU together, over {limits.time_s:g} s"
        )
        return _with(total, Verdict.time_limit, message), raws[last]
    return total, raws[last]


@dataclass(slots=True)
class _Pipes:
    """One test's descriptors.  Each run of the program gets its stdin and stdout (pipe
    ends) and its stderr.  The interactor gets seven, in `checking.FDS` order: its stdin
    and stdout (the other ends), its stderr, the input, the file its argv names as the
    output (testlib's `tout`, a plain memfd, read by the interactor's checker if it has
    one), the answer and the feedback.  A manager gets the input as its stdin and a memfd
    as its stdout (its score), the same five after them, then the other ends of each run's
    pipes (`checking.pipe_fds`)."""

    programs: list[list[int]]
    interactor: list[int]
    manager: bool
    ends: list[int]  # the pipes' ends: the worker's copies are closed by `hang_up`
    hung_up: bool = False

    @classmethod
    def make(
        cls, given: str, answer: str, *, output_bytes: int, processes: int, manager: bool
    ) -> _Pipes:
        made: list[int] = []
        try:
            programs, theirs = [], []
            for _ in range(processes):
                ours_read, theirs_write = _pipe(made)  # the interactor writes, a run reads
                theirs_read, ours_write = _pipe(made)  # a run writes, the interactor reads
                stderr = _kept(made, capped_memfd("stderr", output_bytes))
                programs.append([ours_read, ours_write, stderr])
                theirs += [theirs_read, theirs_write]
            ends = [*theirs, *(fd for run in programs for fd in run[:2])]
            their_stderr = _kept(made, capped_memfd("interactor-stderr", CHECKER_OUTPUT_BYTES))
            given_fd = _kept(made, sealed_memfd("input", _bytes(given)))
            tout = _kept(made, os.memfd_create("interactor-output", os.MFD_CLOEXEC))
            answer_fd = _kept(made, sealed_memfd("answer", _bytes(answer)))
            feedback = _kept(made, os.memfd_create("feedback", os.MFD_CLOEXEC))
            files = [their_stderr, given_fd, tout, answer_fd, feedback]
            if manager:
                stdin = os.open(f"/proc/self/fd/{given_fd}", os.O_RDONLY | os.O_CLOEXEC)
                _kept(made, stdin)
                stdout = _kept(made, capped_memfd("manager-stdout", CHECKER_OUTPUT_BYTES))
                interactor = [stdin, stdout, *files, *theirs]
            else:
                interactor = [*theirs, *files]
        except BaseException:
            for fd in made:
                os.close(fd)
            raise
        return cls(programs=programs, interactor=interactor, manager=manager, ends=ends)

    @property
    def tout(self) -> int:
        return self.interactor[4]

    @property
    def their_stdout(self) -> int:
        return self.interactor[1]

    @property
    def their_stderr(self) -> int:
        return self.interactor[2]

    @property
    def feedback(self) -> int:
        return self.interactor[6]

    def hang_up(self) -> None:
        """Close the worker's copies of the pipes' ends: sent, they live on in the jails
        alone, so each side's end of input is the other side's end."""
        self.hung_up = True
        for fd in self.ends:
            os.close(fd)

    def close(self) -> None:
        closed = set(self.ends) if self.hung_up else set()
        for fd in (*self.interactor, *(fd for run in self.programs for fd in run)):
            if fd not in closed:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _pipe(made: list[int]) -> tuple[int, int]:
    """A pipe whose ends the jails' user may also open afresh by /dev/fd (a manager opens
    the paths on its argv; any side may open /dev/stdin): a pipe is made mode 0600, owned
    by the worker's user.  Only the jails it is sent to hold it."""
    read, write = os.pipe2(os.O_CLOEXEC)
    made += [read, write]
    os.fchmod(read, 0o666)  # one inode: both ends
    return read, write


def _kept(made: list[int], fd: int) -> int:
    made.append(fd)
    return fd


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _lost_its_reader(program: TestResult) -> bool:
    """Whether the program died writing to a pipe nobody read any more."""
    tail = program.stderr_tail.strip().splitlines()
    broken = bool(tail) and tail[-1].startswith("BrokenPipeError")
    return program.signal == signal.SIGPIPE or (program.exit_code != 0 and broken)


def _with(
    result: TestResult, verdict: Verdict, message: str, score: float | None = None
) -> TestResult:
    return result.model_copy(
        update={"verdict": verdict, "message": message[-MESSAGE_CHARS:], "score": score}
    )


def _joined(*messages: str) -> str:
    return "; the interactor: ".join(m for m in messages if m)


def _skipped(index: int) -> TestResult:
    return TestResult(index=index, verdict=Verdict.skipped, message="after a failure")


def _over_budget(index: int) -> TestResult:
    return TestResult(index=index, verdict=Verdict.time_limit, message="total time limit reached")
