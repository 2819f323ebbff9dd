"""Programs in the compiled languages (and PyPy's) bare: built on the host by the judge's own
toolchain (the same compiler, the same flags) and run by the judge's own command line (the
JVM's heap at the memory limit, say), one `subprocess.run` per test, no sandbox: what a
grader without a jail does, and what `crucible bench languages` sets the judge against.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from bench.data import Item
from bench.judge import BareTest, Outcome, bare_tests
from crucible.schema import Language, Submission
from workers.judge.comparators import compare_text
from workers.judge.gostd import go_std
from workers.judge.languages import (
    ARTIFACT,
    GO_IMPORTCFG,
    GO_STD,
    RESULT,
    SCRATCH_DIR,
    toolchain,
)
from workers.judge.settings import judge_settings

# The environment the harness execs compiled programs with (its NATIVE_ENVIRONMENT).
BARE_NATIVE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}


def compile_bare(
    language: Language, standard: str | None, source: str, *, folder: Path, timeout_s: float
) -> Path | None:
    """Build `source` in `folder` as the compile jail would; the program, or None when it
    does not compile (or takes longer than `timeout_s`)."""
    chain = toolchain(language)
    if chain is None:
        raise ValueError(f"{language.value} is not compiled")
    folder.mkdir(parents=True, exist_ok=True)
    name = chain.source_name(source)
    (folder / name).write_text(source, encoding="utf-8", errors="surrogatepass")
    # The compile jail's folders, where the host has them: its scratch space and /build.
    scratch = folder / "out"
    scratch.mkdir(exist_ok=True)
    argv = [
        part.replace(SCRATCH_DIR, str(scratch)).replace(RESULT, str(folder / ARTIFACT))
        for part in chain.build_argv(standard, source)
    ]
    if language == Language.go:
        argv = _go_on_the_host(argv, folder)
    try:
        done = subprocess.run(
            argv,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    program = folder / (chain.artifact or name)
    return program if done.returncode == 0 and program.is_file() else None


def _go_on_the_host(argv: list[str], folder: Path) -> list[str]:
    """Go's build command with the compiled standard library where the host has it: the
    jail's importcfg names the archives at the path the compile jail binds them to."""
    std = go_std(judge_settings())
    text = (std / "importcfg").read_text().replace(f"={GO_STD}/", f"={std}/")
    host_cfg = folder / "importcfg"
    host_cfg.write_text(text)
    return [part.replace(GO_IMPORTCFG, str(host_cfg)) for part in argv]


class BareBuilds:
    """The programs one benchmark built bare, each once per distinct source (threads that
    ask for one being built wait for it), kept in a temporary folder until `close`."""

    def __init__(self, *, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._folder = tempfile.TemporaryDirectory(prefix="crucible-bare-native-")
        self._built: dict[tuple[Language, str | None, str], Future[Path | None]] = {}
        self._lock = threading.Lock()

    def build(self, submission: Submission) -> Path | None:
        """The submission's program, built now or before; None when it does not compile."""
        if submission.code is None:
            raise ValueError("bare runs need a submission with `code`")
        key = (submission.language, submission.standard, submission.code)
        with self._lock:
            built, mine = self._built.get(key), False
            if built is None:
                built = self._built[key] = Future()
                folder, mine = Path(self._folder.name) / f"b{len(self._built)}", True
        if mine:
            try:
                built.set_result(
                    compile_bare(
                        submission.language,
                        submission.standard,
                        submission.code,
                        folder=folder,
                        timeout_s=self.timeout_s,
                    )
                )
            except BaseException as exc:
                built.set_exception(exc)
                raise
        return built.result(timeout=2 * self.timeout_s)

    def close(self) -> None:
        self._folder.cleanup()


def run_bare_native(item: Item, builds: BareBuilds) -> Outcome:
    """Build (or reuse) one submission's program and run each test as its own process, in
    order, until one fails; a program that does not compile runs no test."""
    submission = item.submission
    started = time.perf_counter()
    program = builds.build(submission)
    if program is None:
        return Outcome(item.name, False, 0, time.perf_counter() - started)
    ran, passed = 0, True
    for test in bare_tests(submission):
        ran += 1
        if not bare_native_passes(program, test, submission):
            passed = False
            if submission.policy.stop_on_first_failure:
                break
    return Outcome(item.name, passed, ran, time.perf_counter() - started)


def bare_native_passes(program: Path, test: BareTest, submission: Submission) -> bool:
    """One test: the program exits 0 within the test's wall time and its output compares
    equal under the submission's comparator."""
    chain = toolchain(submission.language)
    if chain is None or submission.code is None:
        raise ValueError(f"{submission.language.value} is not compiled")
    argv = chain.run_argv(submission.limits.memory_mb, submission.code, path=str(program))
    try:
        done = subprocess.run(
            argv,
            input=test.stdin.encode("utf-8", "surrogateescape"),
            capture_output=True,
            timeout=submission.limits.test_wall_s,
            cwd=program.parent,
            env=dict(BARE_NATIVE_ENV, **chain.run_env(submission.limits.memory_mb)),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    if done.returncode != 0 or test.expected is None:
        return False
    return compare_text(submission.comparator, test.expected, done.stdout).equal
