"""A test set's checker: built once per worker, run per test in a jail of its own.

The checker is trusted code from the test set, but it reads the program's output, so it runs
under nsjail like a program: in a warm jail of the same pool, as that jail's submission of
kind `check` (`inside/checking.py`), never in the program's jail.  Each test is one run: the
harness starts the checker as a compiled program's test (the launcher, or a fork) with the
test's input, the program's output and the expected answer as descriptors the worker made
(sealed memfds, named /dev/fd/3..5 on its command line), under the checker's own limits,
counted from the jail's cgroup.  The program
never sees the checker, its jail or the answer; the checker never sees the program.

How each protocol's exit becomes a verdict is `read_testlib`, `read_kattis` and
`read_python` below.  Anything a protocol does not define (testlib's exit 3, a crash, a
signal, a limit, an unknown exit code, a score out of range) is the checker's failure,
`CheckerFailed`: the test gets no verdict and the submission a `status: "error"` result,
never a 0 (and never a 1).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from crucible.schema import Checker, CheckerProtocol, Language, Verdict
from workers.judge.compiler import Compiler
from workers.judge.errors import BadTestSet, CheckerFailed, JailFailed, MachineBusy
from workers.judge.inside import checking, protocol
from workers.judge.inside.protocol import Record
from workers.judge.jail import Jail, killed_by
from workers.judge.languages import REAL_PATHS, Toolchain, toolchain
from workers.judge.pool import JailPool
from workers.judge.settings import JudgeSettings
from workers.judge.testfiles import capped_memfd, sealed_memfd, written
from workers.judge.verdicts import memory_kb

# A checker's stdout and stderr each keep this much; its message shows the last of it.
CHECKER_OUTPUT_BYTES = 1 << 16
MESSAGE_CHARS = 2000
# Processes and threads a checker may run (a JVM starts a few dozen).
CHECKER_PIDS = 64
NATIVE_SOURCES = {Language.c: (".c",), Language.cpp: (".cc", ".cpp", ".cxx", ".c++")}

# A Python checker's build: every module compiled (a syntax error is the test set's), then
# the folder zipped with the checker as __main__.py, which python3 runs as it runs a file
# (its modules import from the archive).  No braces: Toolchain fills {placeholders}.
PYTHON_BUILD = """\
import os, zipfile
with zipfile.ZipFile('main.zip', 'w') as archive:
    for folder, names, files in sorted(os.walk('.')):
        names.sort()
        for name in sorted(files):
            path = os.path.relpath(os.path.join(folder, name))
            if path == 'main.zip':
                continue
            if path.endswith('.py'):
                with open(path, 'rb') as source:
                    compile(source.read(), path, 'exec')
            archive.write(path)
os.rename('main.zip', 'main')
"""
PYTHON_CHECKER = Toolchain(
    Language.python,
    "python3",
    "__main__.py",
    build=("{python}", "-c", PYTHON_BUILD),
    run=("{python}", "{program}"),
    shown=(),
    version=("/usr/bin/python3", "--version"),
    hello="",
)


# A checker built the Kattis way (`scripts`): its `build` script runs in the build folder,
# which is then packed whole as the artifact; the first run of a submission unpacks it into
# the checker jail's scratch space, and every run execs its `run`.  (A failure there is an
# exit its protocol does not define: the checker failed.)  No braces: {placeholders}.
SCRIPT_BUILD = "sh ./build && test -f run && tar -cf /tmp/main.tar . && mv /tmp/main.tar main"
SCRIPT_UNPACKED = "/tmp/validator"
SCRIPT_RUN = (
    f"if ! cd {SCRIPT_UNPACKED} 2>/dev/null; then mkdir {SCRIPT_UNPACKED} &&"
    f" cd {SCRIPT_UNPACKED} && tar -xf /code/main && chmod +x run || exit 120; fi;"
    ' exec ./run "$@"'
)
SCRIPTED_CHECKER = Toolchain(
    Language.cpp,  # not used: the scripts name their own tools
    "sh",
    "build",
    build=("/bin/sh", "-c", SCRIPT_BUILD),
    run=("/bin/sh", "-c", SCRIPT_RUN, "run"),
    shown=(),
    version=("/bin/sh", "-c", "true"),
    hello="",
)


# An interactor starts with SIGPIPE ignored (an ignored signal stays ignored across exec):
# writing to a program that already ended is then an error it reads and handles, as the end
# of its input, never its death.
INTERACTOR_SHELL = ("/bin/sh", "-c", 'trap "" PIPE; exec "$@"', "interactor")


@dataclass(frozen=True, slots=True)
class Checked:
    """What a checker decided of one test's output."""

    verdict: Verdict
    message: str = ""
    score: float | None = None


def checker_toolchain(checker: Checker) -> Toolchain:
    """How the checker builds and runs: its language's toolchain, with C and C++ compiling
    every source of theirs among its files too (as Kattis builds a validator's folder), and
    Python's zipped with its modules; a checker with `build` and `run` scripts, by them."""
    if checker.scripts:
        return SCRIPTED_CHECKER
    if checker.language == Language.python:
        return PYTHON_CHECKER
    chain = toolchain(checker.language)
    assert chain is not None  # every language but Python has one
    suffixes = NATIVE_SOURCES.get(checker.language)
    if suffixes is None:
        return chain
    others = [_literal(path) for path in sorted(checker.files) if path.endswith(suffixes)]
    *flags, libraries = chain.build
    return replace(chain, build=(*flags, *others, libraries))


def checker_argv(checker: Checker, chain: Toolchain) -> list[str]:
    """The command each test's run execs: the checker, then its protocol's arguments."""
    own = chain.run_argv(checker.limits.memory_mb, checker.source)
    paths = checking.PATHS
    if checker.protocol == CheckerProtocol.kattis:
        return [*own, paths["input"], paths["answer"], checking.FEEDBACK, *checker.flags]
    if checker.protocol == CheckerProtocol.manager:
        pipes = checking.pipe_fds(checker.processes)
        return [*own, *(f"/dev/fd/{fd}" for pair in pipes for fd in pair)]
    return [*own, paths["input"], paths["output"], paths["answer"]]


def build_checker(compiler: Compiler, checker: Checker) -> bytes:
    """The checker's artifact, built once per worker (the compiler's cache keeps it);
    BadTestSet when it does not build."""
    files = {path: text.encode("utf-8", "surrogatepass") for path, text in checker.files.items()}
    chain = checker_toolchain(checker)
    build = compiler.build(
        checker.language, checker.standard, checker.source, chain=chain, files=files
    )
    if build.artifact is None:
        raise BadTestSet(f"the test set's checker does not build: {build.output.output[-2000:]}")
    return build.artifact


class CheckerJail:
    """One submission's checker, set up in a jail of its own: `check` runs it on one test."""

    def __init__(self, jail: Jail, checker: Checker, *, budget_s: float, slack: float) -> None:
        self.jail = jail
        self.checker = checker
        self.budget_s = budget_s
        self.spent_s = 0.0
        self.slack = slack
        self.runs = 0

    def check(self, *, given: str, answer: str, output: bytes) -> Checked:
        """Run the checker on one test: its input `given`, the `answer` and the program's
        `output`.  Its runs for one submission together have a budget of their own (the
        submission's total time, the program's time not counted)."""
        if self.spent_s >= self.budget_s:
            raise CheckerFailed(
                f"the checker's runs took {self.spent_s:.1f} s together, over the"
                f" submission's total time of {self.budget_s:g} s"
            )
        started = time.monotonic()
        try:
            return self._check(given, answer, output)
        finally:
            self.spent_s += time.monotonic() - started

    def _check(self, given: str, answer: str, output: bytes) -> Checked:
        fds = _descriptors(given, answer, output)
        limits = self.checker.limits
        self.runs += 1
        try:
            command: protocol.RunCommand = {"op": protocol.RUN, "index": self.runs}
            timeout = 3 * limits.test_wall_s + self.slack
            record = self.jail.request(command, timeout=timeout, fds=fds)
            stdout = written(fds[1], CHECKER_OUTPUT_BYTES)
            stderr = written(fds[2], CHECKER_OUTPUT_BYTES)
            feedback = os.pread(fds[6], checking.MESSAGE_BYTES, 0)
        finally:
            for fd in fds:
                os.close(fd)
        require_ran(record, self.checker)
        read = READERS[self.checker.protocol]
        return read(record.get("exit_code"), _text(stdout), _text(stderr), _text(feedback))


@contextlib.contextmanager
def checker_jail(
    pool: JailPool,
    checker: Checker,
    artifact: bytes,
    *,
    budget_s: float,
    settings: JudgeSettings,
    program_wall_s: float = 0.0,
) -> Iterator[CheckerJail]:
    """A warm jail from `pool` with the checker set up in it, for one submission whose
    checking may take `budget_s` in all.  An interactor or a manager (`checker.talks`) runs while
    the program does: its CPU time per run may be `program_wall_s` (the program's longest
    test) more than its own, so a program cannot push it over its limit, and it starts
    with SIGPIPE ignored (`INTERACTOR_SHELL`)."""
    chain = checker_toolchain(checker)
    limits = checker.limits
    argv = checker_argv(checker, chain)
    # A Python checker is forked from the harness, not started (no interpreter per check);
    # it ignores SIGPIPE as CPython does, so an interactor in Python needs no shell for it.
    forked = chain is PYTHON_CHECKER and _same_python(settings.python_path)
    if checker.talks and not forked:
        argv = [*INTERACTOR_SHELL, *argv]
    setup = protocol.build_setup(
        protocol.CHECK,
        limits=_LimitsView(limits.time_s + program_wall_s, limits.test_wall_s),
        stretch_s=2 * limits.test_wall_s,
        argv=argv,
        env=chain.run_env(limits.memory_mb),
    )
    if forked:
        setup["python_check"] = True
    slack = settings.protocol_slack_s
    with pool.jail(memory_mb=limits.memory_mb, pids=CHECKER_PIDS, prelude="") as jail:
        ready = jail.begin("", setup, timeout=60 + slack, artifact=artifact)
        if ready["event"] != protocol.READY or killed_by(ready) is not None:
            raise JailFailed(f"the checker's jail did not start: {ready}")
        yield CheckerJail(jail, checker, budget_s=budget_s, slack=slack)


def _same_python(harness_python: str) -> bool:
    """Whether the jail's harness runs the interpreter a Python checker is run with."""
    return os.path.realpath(harness_python) == os.path.realpath(REAL_PATHS["python"])


@dataclass(frozen=True, slots=True)
class _LimitsView:
    """A checker's limits as `protocol.build_setup` reads a Limits."""

    time_s: float
    test_wall_s: float
    output_kb: int = CHECKER_OUTPUT_BYTES // 1024


def _descriptors(given: str, answer: str, output: bytes) -> list[int]:
    """The run's descriptors, in `checking.FDS` order.  The output is a sealed copy of
    exactly what the program wrote (its own memfd is larger), given twice: as stdin, and
    (opened afresh, with its own offset) as the file the checker's argv names."""
    fds: list[int] = []
    try:
        made = sealed_memfd("output", output)
        fds.append(os.open(f"/proc/self/fd/{made}", os.O_RDONLY | os.O_CLOEXEC))
        fds.append(capped_memfd("checker-stdout", CHECKER_OUTPUT_BYTES))
        fds.append(capped_memfd("checker-stderr", CHECKER_OUTPUT_BYTES))
        fds.append(sealed_memfd("input", given.encode("utf-8", "surrogateescape")))
        fds.append(made)
        fds.append(sealed_memfd("answer", answer.encode("utf-8", "surrogateescape")))
        fds.append(os.memfd_create("feedback", os.MFD_CLOEXEC))
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return fds


def require_ran(record: Record, checker: Checker) -> None:
    """Raise unless the checker ran to an exit of its own within its limits."""
    if "error" in record:
        raise JailFailed(f"the checker's jail could not run it: {record['error']}")
    if killed_by(record) is not None:
        raise CheckerFailed("the checker ended the process that runs it")
    if record.get("contended") and record.get("wall_killed"):
        raise MachineBusy(f"the checker waited {record.get('cpu_wait_s', 0):.2f} s for a CPU")
    limits = checker.limits
    if record.get("oom_kills") or memory_kb(record) > limits.memory_mb * 1024:
        raise CheckerFailed(f"the checker went over its memory limit of {limits.memory_mb} MB")
    if record.get("wall_killed") or record.get("cpu_killed"):
        raise CheckerFailed(
            f"the checker went over its time limit ({limits.time_s:g} s CPU, "
            f"{limits.test_wall_s:g} s wall)"
        )
    if record.get("signal") is not None:
        raise CheckerFailed(f"the checker was killed by signal {record['signal']}")


def read_testlib(code: int | None, stdout: str, stderr: str, feedback: str) -> Checked:
    """testlib: 0 accepted; 1 wrong answer; 2 presentation error, 4 extra output and 8 an
    unexpected end of the output, all wrong answers; 7 points (the first number of its
    message, in [0, 1]); 3, its own failure, and anything else: CheckerFailed."""
    message = _message(stderr, stdout)
    if code == 0:
        return Checked(Verdict.passed, message)
    wrong = {1: "", 2: "presentation error: ", 4: "extra output: ", 8: "unexpected end: "}
    if code in wrong:
        return Checked(Verdict.wrong_answer, wrong[code] + message)
    if code == 7:
        return _scored(_points(message), message)
    if code == 3:
        raise CheckerFailed(f"the checker failed (testlib's exit 3): {message}")
    raise CheckerFailed(f"the checker exited {code}, which testlib does not define: {message}")


def read_kattis(code: int | None, stdout: str, stderr: str, feedback: str) -> Checked:
    """Kattis output validators: 42 accepted, 43 wrong answer (judgemessage.txt is the
    message), anything else CheckerFailed."""
    message = _message(feedback, stderr)
    if code == 42:
        return Checked(Verdict.passed, message)
    if code == 43:
        return Checked(Verdict.wrong_answer, message)
    raise CheckerFailed(f"the validator exited {code}, neither 42 nor 43: {message}")


def read_python(code: int | None, stdout: str, stderr: str, feedback: str) -> Checked:
    """Python checkers: exit 0 with a score in [0, 1] as the first word of stdout (1 is
    accepted; the rest of stdout is the message).  Any other exit (a Python traceback
    exits 1) or no such score: CheckerFailed."""
    score, rest = _printed_score(code, stdout, _message(stdout, stderr), "the checker")
    return _scored(score, _message(rest, stderr))


def read_manager(code: int | None, stdout: str, stderr: str, feedback: str) -> Checked:
    """A communication task's manager (CMS's): exit 0 with a score in [0, 1] as the first
    word of its stdout, its message on stderr (1 is accepted).  Any other exit, or no such
    score: CheckerFailed."""
    score, rest = _printed_score(code, stdout, _message(stderr, stdout), "the manager")
    return _scored(score, _message(stderr, rest))


def _printed_score(code: int | None, stdout: str, message: str, who: str) -> tuple[float, str]:
    """The score a checker printed first on its stdout after exiting 0, and the rest of
    its stdout; CheckerFailed otherwise."""
    if code != 0:
        raise CheckerFailed(f"{who} exited {code}: {message}")
    words = stdout.split(maxsplit=1)
    score = _number(words[0]) if words else None
    if score is None:
        raise CheckerFailed(f"{who} printed no score: {message}")
    return score, words[1] if len(words) > 1 else ""


READERS = {
    CheckerProtocol.testlib: read_testlib,
    CheckerProtocol.kattis: read_kattis,
    CheckerProtocol.python: read_python,
    CheckerProtocol.manager: read_manager,
}


def _scored(score: float | None, message: str) -> Checked:
    if score is None or not 0 <= score <= 1:
        raise CheckerFailed(f"the checker's score is not a number in [0, 1]: {message}")
    verdict = Verdict.passed if score == 1 else Verdict.wrong_answer
    return Checked(verdict, message, score)


def _points(message: str) -> float | None:
    """testlib's points: its message starts "points 0.5 ..." (or with the number)."""
    words = message.split()
    if words and words[0] == "points":
        words = words[1:]
    return _number(words[0]) if words else None


def _number(word: str) -> float | None:
    try:
        value = float(word)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _message(*parts: str) -> str:
    text = "\n".join(part.strip() for part in parts if part.strip())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _literal(path: str) -> str:
    """`path` as a Toolchain argument, whose {placeholders} are filled in."""
    return path.replace("{", "{{").replace("}", "}}")
