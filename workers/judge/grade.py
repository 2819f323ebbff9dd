"""Grade one submission: pick its tests, run them in one jail, compare outside, reward.

`grade` returns a RewardResult for whatever the candidate did and raises JudgeError for
anything that broke on our side; `grade_or_error` turns that error into a visible
status "error" result (never a reward of 0).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from crucible.extract import extract_code
from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    CallTestSet,
    Checker,
    ComparatorInfo,
    CompileOutput,
    Language,
    Limits,
    RewardResult,
    RunOutcome,
    RunResult,
    Status,
    StdioCase,
    StdioTestSet,
    Submission,
    Subtask,
    TestOrder,
    TestResult,
    Verdict,
    check_graded,
    check_language,
)
from workers.judge.asserts import program_names, split_asserts
from workers.judge.cgroups import CgroupPlan, favor_dynamic_moves, prepare_cgroups
from workers.judge.checkers import CheckerJail, build_checker, checker_jail
from workers.judge.compiler import Compiler
from workers.judge.errors import (
    BadTestSet,
    JailFailed,
    JudgeError,
    SandboxUnavailable,
)
from workers.judge.graders import grader_files, grader_toolchain
from workers.judge.inside import protocol
from workers.judge.inside.protocol import Record, RunCommand
from workers.judge.interactive import run_interactive_tests
from workers.judge.jail import Jail, killed_by
from workers.judge.languages import toolchain
from workers.judge.pool import JailPool
from workers.judge.rawrun import run_program
from workers.judge.settings import JudgeSettings, judge_settings
from workers.judge.subtasks import Stopping, score_subtasks
from workers.judge.testfiles import TestFiles
from workers.judge.verdicts import classify, most_wall_s, stretch_s

log = logging.getLogger(__name__)
# What the harness may import before forking, for a submission that imports it (numpy costs
# about 100 ms per import): the harness's PRELOADABLE_EXTRA.
PRELOADABLE = frozenset({"numpy"})
# How long a language that failed its probe stays failed before it is tried again.
PROBE_RETRY_S = 30.0


@dataclass(frozen=True, slots=True)
class Test:
    """One selected test: what its process is given (`payload`: stdin text, `[args, kwargs]`
    or assert code, sent in a sealed descriptor, `workers/judge/testfiles.py`) and what stays
    outside."""

    index: int
    payload: Any
    expected: Any
    size: int


class Judge:
    """Grades submissions on this machine; create once per worker process."""

    def __init__(self, settings: JudgeSettings | None = None) -> None:
        self.settings = settings or judge_settings()
        self._cgroups: CgroupPlan | None = None
        self.pool = JailPool(self.settings, lambda: self.cgroups)
        self.compiler = Compiler(self.settings, lambda: self.cgroups)
        # When each language last proved to build and run here, or failed to (with why).
        self._probed: dict[Language, tuple[float, str | None]] = {}
        self._probe_lock = threading.Lock()
        self._probing = threading.local()  # the language this thread is probing

    @property
    def cgroups(self) -> CgroupPlan:
        if self._cgroups is None:
            s = self.settings
            self._cgroups = prepare_cgroups(s.cgroup_root, s.cgroup_parent, s.cgroup_version)
            if s.cgroup_favor_dynmods:
                _say_dynmods(favor_dynamic_moves())
        return self._cgroups

    def grade(self, submission: Submission, testset: AnyTestSet | None = None) -> RewardResult:
        """Grade `submission`; `testset` resolves a submission that names one by hash."""
        started = time.monotonic()
        tests_spec = testset or submission.tests
        if tests_spec is None:
            raise BadTestSet(f"test set {submission.testset} was not provided")
        tests = select_tests(tests_spec, submission)
        checker = tests_spec.checker if isinstance(tests_spec, StdioTestSet) else None
        scored = partial(
            _reward,
            subtasks=tests_spec.subtasks if isinstance(tests_spec, StdioTestSet) else None,
        )
        program = (
            submission.code
            if submission.code is not None
            else extract_code(submission.response or "", submission.language)
        )
        comparator = ComparatorInfo(
            name=submission.comparator.name, version=submission.comparator.version
        )
        if checker is not None:  # it decides instead of the comparator
            comparator = ComparatorInfo(
                name=f"checker:{checker.protocol.value}", version=checker.version
            )
        if not program or not program.strip():
            results = [
                TestResult(index=t.index, verdict=Verdict.no_code, message="no program found")
                for t in tests
            ]
            return scored(results, submission, comparator=comparator, runtime="", started=started)
        grader = tests_spec.grader if isinstance(tests_spec, StdioTestSet) else None
        try:  # the schema's own rule (a test set named by hash reaches it only here)
            check_language(submission.language, submission.standard, tests_spec.kind)
            if grader is not None:
                check_graded(submission.language)
        except ValueError as exc:
            raise BadTestSet(str(exc)) from None
        build = None
        chain = toolchain(submission.language)
        if chain is not None:
            self._check_language(submission.language)
            build = self.compiler.build(
                submission.language,
                submission.standard,
                program,
                chain=grader_toolchain(submission.language, grader) if grader else None,
                files=grader_files(grader) if grader else None,
            )
            if build.artifact is None:
                results = [
                    TestResult(
                        index=t.index,
                        verdict=Verdict.compile_error,
                        message=build.output.output[-2000:],
                    )
                    for t in tests
                ]
                return scored(
                    results,
                    submission,
                    comparator=comparator,
                    runtime=build.output.toolchain,
                    started=started,
                    compiled=build.output,
                )
        artifact = build.artifact if build is not None else None
        checking = then = None
        if checker is not None:
            checking = self._built_checker(checker)
            if checker.checker is not None:  # a testlib interactor's checker of its TOUT
                then = self._built_checker(checker.checker)
        results, runtime = self._run(
            program,
            tests_spec,
            tests,
            submission,
            started,
            artifact=artifact,
            kept=build.kept if build is not None else None,
            checker=checking,
            then=then,
        )
        if build is not None:
            runtime = build.output.toolchain
        return scored(
            results,
            submission,
            comparator=comparator,
            runtime=runtime,
            started=started,
            compiled=build.output if build is not None else None,
        )

    def grade_or_error(
        self, submission: Submission, testset: AnyTestSet | None = None
    ) -> RewardResult:
        try:
            return self.grade(submission, testset)
        except JudgeError as exc:
            log.warning("judge fault %s: %s", exc.code, exc.message)
            return RewardResult(status=Status.error, reward=None, error=exc.body())

    def run(
        self,
        program: str,
        *,
        stdin: str,
        limits: Limits,
        language: Language = Language.python,
        standard: str | None = None,
        files: Mapping[str, bytes] | None = None,
        fetch: Sequence[str] = (),
    ) -> RunResult:
        """Run `program` once on `stdin` and return its raw output; nothing is graded.
        A compiled language's program is built first (a failed build is the result, outcome
        `compile_error`).  `files` are placed in its folder first, and the regular files
        among `fetch` (paths in that folder) come back in the result.

        The entry behind /run_code.  Raises JudgeError for faults on our side."""
        build = None
        if toolchain(language) is not None:
            self._check_language(language)
            build = self.compiler.build(language, standard, program)
            if build.artifact is None:
                return RunResult(
                    outcome=RunOutcome.compile_error,
                    runtime=build.output.toolchain,
                    compile=build.output,
                )
        with self.pool.jail(memory_mb=limits.memory_mb, pids=limits.pids, prelude="") as jail:
            result = run_program(
                jail,
                program,
                stdin=stdin,
                limits=limits,
                settings=self.settings,
                files=files,
                fetch=fetch,
                artifact=build.artifact if build is not None else None,
                argv=_run_argv(language, limits.memory_mb, program) if build is not None else None,
                env=_run_env(language, limits.memory_mb) if build is not None else None,
            )
        if build is None:
            return result
        return result.model_copy(
            update={"runtime": build.output.toolchain, "compile": build.output}
        )

    def _built_checker(self, checker: Checker) -> tuple[Checker, bytes]:
        """`checker` and its artifact, its language proved to work here first."""
        if toolchain(checker.language) is not None and not checker.scripts:
            self._check_language(checker.language)
        return checker, build_checker(self.compiler, checker)

    def _check_language(self, language: Language) -> None:
        """SandboxUnavailable unless the language's toolchain builds and runs a known-good
        program here: a toolchain missing or broken on this worker must fail as our fault,
        never as the program's compile or run-time error.  Proved once per process; a
        failure is believed for PROBE_RETRY_S, then tried again.  Threads sharing this
        judge wait for the probe, so none builds with a toolchain not yet proved."""
        if getattr(self._probing, "language", None) == language:
            return  # the probe's own grade
        with self._probe_lock:
            when, failure = self._probed.get(language, (0.0, "never tried"))
            if failure is None:
                return
            if time.monotonic() - when < PROBE_RETRY_S and failure != "never tried":
                raise SandboxUnavailable(
                    f"{language.value} does not work on this worker: {failure}"
                )
            failure = self._probe(language)
            self._probed[language] = (time.monotonic(), failure)
        if failure is not None:
            raise SandboxUnavailable(f"{language.value} does not work on this worker: {failure}")

    def _probe(self, language: Language) -> str | None:
        """Grade the language's known-good program; why it failed, or None."""
        chain = toolchain(language)
        assert chain is not None
        probe = Submission(
            language=language,
            code=chain.hello,
            tests=StdioTestSet(cases=[StdioCase(input="crucible\n", output="crucible\n")]),
            limits=Limits(time_s=10, memory_mb=512),
        )
        self._probing.language = language
        try:
            result = self.grade(probe)
        except JudgeError as exc:
            return exc.message
        finally:
            self._probing.language = None
        if result.reward == 1:
            return None
        test = result.tests[0] if result.tests else None
        return f"{result.verdict}: {test.message if test else ''}"[:500]

    def close(self) -> None:
        """Stop the warm jails this judge keeps."""
        self.pool.close()
        self.compiler.close()

    def _run(
        self,
        program: str,
        spec: AnyTestSet,
        tests: list[Test],
        submission: Submission,
        started: float,
        *,
        artifact: bytes | None = None,
        kept: Path | None = None,
        checker: tuple[Checker, bytes] | None = None,
        then: tuple[Checker, bytes] | None = None,
    ) -> tuple[list[TestResult], str]:
        limits = submission.limits
        budget_end = started + limits.total_time_s
        slack = self.settings.protocol_slack_s
        tests_need = _test_preloads(spec) if isinstance(spec, AssertTestSet) else ()
        setup = protocol.build_setup(
            spec.kind,
            limits=limits,
            prelude=spec.prelude,
            fn_name=getattr(spec, "fn_name", None),
            entry_point=getattr(spec, "entry_point", None),
            preload=[] if artifact is not None else sorted({*preloads(program), *tests_need}),
            argv=_run_argv(submission.language, limits.memory_mb, program)
            if artifact is not None
            else None,
            env=_run_env(submission.language, limits.memory_mb) if artifact is not None else None,
        )
        with (
            self.pool.jail(
                memory_mb=limits.memory_mb, pids=limits.pids, prelude=spec.prelude
            ) as jail,
            self._checker(checker, limits=limits) as checking,
            self._checker(then, limits=limits) as checking_tout,
        ):
            ready = jail.begin(program, setup, timeout=60 + slack, artifact=artifact, kept=kept)
            if ready["event"] == protocol.PRELUDE_ERROR:
                raise BadTestSet(f"the test set's prelude fails: {ready.get('message', '')[-500:]}")
            if killed_by(ready) is not None:
                # Only compiling the program runs there before `ready`: its fault.
                message = "compiling the program ended the process that runs its tests"
                return [_harness_killed(t, ready, message) for t in tests], ""
            if ready["event"] != protocol.READY:
                raise JailFailed(f"harness did not start: {ready}")
            runtime = str(ready.get("runtime", ""))
            if ready.get("compile_error"):
                message = str(ready["compile_error"])
                return [
                    TestResult(index=t.index, verdict=Verdict.compile_error, message=message)
                    for t in tests
                ], runtime
            if checking is not None and checking.checker.talks:
                talks = [(t.index, str(t.payload), str(t.expected)) for t in tests]
                others = self._more_runs(
                    checking.checker.processes - 1,
                    program,
                    setup,
                    limits=limits,
                    prelude=spec.prelude,
                    artifact=artifact,
                    kept=kept,
                )
                with others as more:
                    results = run_interactive_tests(
                        [jail, *more],
                        checking,
                        talks,
                        then=checking_tout,
                        submission=submission,
                        budget_end=budget_end,
                        slack=slack,
                        stopping=Stopping(
                            stop=submission.policy.stop_on_first_failure,
                            subtasks=spec.subtasks if isinstance(spec, StdioTestSet) else None,
                        ),
                    )
                return results, runtime
            results = _run_tests(
                jail,
                spec,
                tests,
                submission=submission,
                budget_end=budget_end,
                slack=slack,
                checking=checking,
            )
        return results, runtime

    @contextlib.contextmanager
    def _more_runs(
        self,
        count: int,
        program: str,
        setup: protocol.Setup,
        *,
        limits: Limits,
        prelude: str,
        artifact: bytes | None,
        kept: Path | None,
    ) -> Iterator[list[Jail]]:
        """`count` more warm jails with the submission set up as in its first, for a
        communication task's further runs of the program at once (its first jail already
        showed that the program loads)."""
        slack = self.settings.protocol_slack_s
        with contextlib.ExitStack() as stack:
            jails = []
            for _ in range(count):
                jail = stack.enter_context(
                    self.pool.jail(memory_mb=limits.memory_mb, pids=limits.pids, prelude=prelude)
                )
                ready = jail.begin(program, setup, timeout=60 + slack, artifact=artifact, kept=kept)
                if ready["event"] != protocol.READY or killed_by(ready) is not None:
                    raise JailFailed(f"a further run's jail did not start: {ready}")
                jails.append(jail)
            yield jails

    @contextlib.contextmanager
    def _checker(
        self, checker: tuple[Checker, bytes] | None, *, limits: Limits
    ) -> Iterator[CheckerJail | None]:
        """The test set's checker (or interactor) set up in a jail of its own, for one
        submission with the program's `limits`."""
        if checker is None:
            yield None
            return
        with checker_jail(
            self.pool,
            *checker,
            budget_s=limits.total_time_s,
            settings=self.settings,
            program_wall_s=most_wall_s(limits) if checker[0].talks else 0.0,
        ) as checking:
            yield checking


def _run_tests(
    jail: Jail,
    spec: AnyTestSet,
    tests: list[Test],
    *,
    submission: Submission,
    budget_end: float,
    slack: float,
    checking: CheckerJail | None = None,
) -> list[TestResult]:
    """Run `tests` in order, early exit per the policy.

    The next command goes out while the harness runs the current test, so the worker's
    comparing (or checking, by the test set's checker) overlaps the harness's running.  A
    test that ran ahead of a failure that stops the submission is reported skipped.  The
    checker's time is not the program's: it moves the submission's budget on.
    """
    limits = submission.limits
    stopping = Stopping(
        stop=submission.policy.stop_on_first_failure,
        subtasks=spec.subtasks if isinstance(spec, StdioTestSet) else None,
    )
    takes = program_names(spec) if isinstance(spec, AssertTestSet) else ()
    results: list[TestResult] = []
    upcoming = deque(tests)
    in_flight: deque[tuple[Test, float, TestFiles]] = deque()  # test, record deadline, files
    try:
        while upcoming or in_flight:
            while upcoming and len(in_flight) < 2:
                if stopping.skips(upcoming[0].index):
                    if in_flight or not stopping.by_subtask:
                        break  # results keep the tests' order
                    results.append(_unrun(upcoming.popleft(), 1.0))
                    continue
                if budget_end - time.monotonic() <= 0:
                    break
                test = upcoming[0]
                files = TestFiles.make(
                    spec.kind, test.payload, takes, output_bytes=limits.output_kb * 1024
                )
                after = in_flight[-1][1] if in_flight else time.monotonic()
                deadline = after + most_wall_s(limits) + slack
                in_flight.append((test, deadline, files))
                upcoming.popleft()
                jail.send(jail.encode(_command(test, limits, budget_end)), deadline, files.fds)
            if not in_flight:
                results.extend(_unrun(test, budget_end - time.monotonic()) for test in upcoming)
                break
            test, deadline, files = in_flight[0]
            raw = files.collect(jail.receive(deadline), limits.output_kb * 1024)
            in_flight.popleft()
            files.close()
            if killed_by(raw) is not None:
                results.append(_harness_killed(test, raw))
                results.extend(_unrun(t, 1.0) for t in [*(t for t, _, _ in in_flight), *upcoming])
                break
            if stopping.skips(test.index):
                results.append(_unrun(test, 1.0))
                continue
            if "oom_kills" in raw:
                # The harness read the program cgroup's OOM count around the test itself.
                raw["oom_killed"] = raw["oom_kills"] > 0
            checked_from = time.monotonic()
            result = classify(
                raw,
                kind=spec.kind,
                expected=test.expected,
                limits=limits,
                comparator=submission.comparator,
                check=partial(_check, checking, test) if checking is not None else None,
            )
            if checking is not None:
                budget_end += time.monotonic() - checked_from
            stopping.record(result)
            results.append(result)
    finally:
        for _, _, files in in_flight:
            files.close()
    return results


def _check(checking: CheckerJail, test: Test, output: bytes) -> tuple[Verdict, str, float | None]:
    checked = checking.check(given=test.payload, answer=test.expected, output=output)
    return checked.verdict, checked.message, checked.score


@functools.cache
def _say_dynmods(state: str) -> None:
    """Log, once per process and state, whether cgroup moves are favoured
    (`favor_dynamic_moves`)."""
    if state.startswith("off"):
        log.warning(
            "cgroup favordynmods is %s: a test started after the worker was idle waits an"
            " RCU grace period (5 to 20 ms) to join its cgroup (docs/deploy.md)",
            state,
        )
    else:
        log.info("cgroup favordynmods: %s", state)


def _run_argv(language: Language, memory_mb: int, program: str) -> list[str]:
    chain = toolchain(language)
    assert chain is not None  # only a built program has an artifact
    return chain.run_argv(memory_mb, program)


def _run_env(language: Language, memory_mb: int) -> dict[str, str]:
    chain = toolchain(language)
    assert chain is not None  # only a built program has an artifact
    return chain.run_env(memory_mb)


def _command(test: Test, limits: Limits, budget_end: float) -> RunCommand:
    # `until` is the submission's budget on the monotonic clock, which the jail shares.
    wall: protocol.RunLimits = {
        "wall_s": limits.test_wall_s,
        "stretch_s": stretch_s(limits),
        "until": budget_end,
    }
    return {"op": protocol.RUN, "index": test.index, "limits": wall}


def _harness_killed(
    test: Test,
    raw: Record,
    message: str = "the program killed or stopped the process that runs its tests",
) -> TestResult:
    """The process serving the submission was killed by a signal during `test`
    (`killed_by`): the program's runtime error."""
    return TestResult(
        index=test.index,
        verdict=Verdict.runtime_error,
        message=message,
        signal=raw["signal"],
        stderr_tail=str(raw.get("stderr_tail", ""))[-1000:],
    )


def _unrun(test: Test, remaining: float) -> TestResult:
    if remaining <= 0:
        return TestResult(
            index=test.index, verdict=Verdict.time_limit, message="total time limit reached"
        )
    return TestResult(index=test.index, verdict=Verdict.skipped, message="after a failure")


def select_tests(spec: AnyTestSet, submission: Submission) -> list[Test]:
    """The tests to run, in order, after the policy's ordering and cap."""
    tests = list(_expand(spec))
    if not tests:
        raise BadTestSet("the test set has no tests")
    if submission.policy.order == TestOrder.longest_input_first:
        tests.sort(key=lambda t: (-t.size, t.index))
    if submission.policy.max_tests is not None:
        tests = tests[: submission.policy.max_tests]
    return tests


def _expand(spec: AnyTestSet) -> list[Test]:
    if isinstance(spec, StdioTestSet):
        return [Test(i, c.input, c.output, len(c.input)) for i, c in enumerate(spec.cases)]
    if isinstance(spec, CallTestSet):
        return [
            Test(i, [c.args, c.kwargs], c.expected, len(json.dumps(c.args)))
            for i, c in enumerate(spec.cases)
        ]
    return [Test(i, src, None, len(src)) for i, src in enumerate(split_asserts(spec))]


# Per test set, not per job: a prompt's samples share one, and LeetCode's tests are long.
@lru_cache(maxsize=256)
def _test_preloads(spec: AssertTestSet) -> tuple[str, ...]:
    return tuple(preloads(spec.code))


def preloads(source: str) -> list[str]:
    """The modules of PRELOADABLE that `source` imports, for the harness to import before
    forking (a cheap line scan, not a parse: it only decides what to warm up)."""
    wanted: set[str] = set()
    for line in source.splitlines():
        words = line.replace(",", " ").split()
        if len(words) >= 2 and words[0] == "import":
            wanted.update(word.split(".")[0] for word in words[1:] if word != "as")
        elif len(words) >= 2 and words[0] == "from" and not words[1].startswith("."):
            wanted.add(words[1].split(".")[0])
    return sorted(wanted & PRELOADABLE)


def _reward(
    results: list[TestResult],
    submission: Submission,
    *,
    comparator: ComparatorInfo,
    runtime: str,
    started: float,
    compiled: CompileOutput | None = None,
    subtasks: Sequence[Subtask] | None = None,
) -> RewardResult:
    """The result of graded `results`: reward 1 only when every one passed (with subtasks,
    which cover every test, that is full score)."""
    passed = sum(r.verdict == Verdict.passed for r in results)
    first_failure = next(
        (r.verdict for r in results if r.verdict != Verdict.passed), Verdict.passed
    )
    return RewardResult(
        status=Status.graded,
        reward=1 if results and passed == len(results) else 0,
        pass_fraction=passed / len(results) if results else 0.0,
        verdict=first_failure,
        tests=results,
        comparator=comparator,
        language=submission.language,
        runtime=runtime,
        compile=compiled,
        time_s=round(time.monotonic() - started, 6),
        score=score_subtasks(subtasks, results) if subtasks is not None else None,
    )
