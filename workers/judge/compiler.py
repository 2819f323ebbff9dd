"""Build a program in a language other than Python once per submission, in a jail of its own.

The compiler is code whose input an attacker chose (`#include` of a device or a host file,
template and constexpr bombs, enormous object files), so it runs under nsjail too
(`sandbox_profiles/compile.cfg`): the toolchains read-only, a build folder that holds only
the source, no devices but /dev/null, its own time, memory, process and file-size limits.
Whatever goes wrong inside is the program's compile error; only a jail that cannot start is
a fault of ours.  Identical sources with identical flags reuse the artifact this worker
built before (content-keyed, in `work_dir/artifacts`).  Go's build also reads the standard
library compiled once on this machine (`gostd.py`), bound read-only.  Builds run in warm
compile jails (`buildjail.py`), the same jail kept for one build after another and emptied
between them; `compile_jail_builds = 0`, or a warm jail that fails during a build, gives the
build a jail of its own that ends with it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from crucible.schema import CompileOutput, Language
from workers.judge.buildjail import (
    BuildJail,
    IdleBuildJails,
    JailGone,
    build_folder,
    compile_jail_flags,
)
from workers.judge.cgroups import CgroupPlan
from workers.judge.errors import JailFailed, SandboxUnavailable
from workers.judge.gostd import go_std
from workers.judge.jail import MIB, nsjail_binary
from workers.judge.languages import GO_STD, Toolchain, toolchain
from workers.judge.settings import JudgeSettings

log = logging.getLogger(__name__)
# nsjail's own failures (it could not set the jail up) exit with this status and log an
# error or fatal line; a compiler never logs in nsjail's format.
NSJAIL_FAILED = 255
NSJAIL_ERROR_MARKS = ("[E]", "[F]")
# The artifacts this process used last, kept in its memory as well: reading a cached Go
# executable (2 MB) again cost each of its submissions about a millisecond (issue 15).
REMEMBERED_BYTES = 32 * MIB


@dataclass(frozen=True, slots=True)
class Build:
    """One program's build: how it went, and the artifact when there is one."""

    output: CompileOutput
    artifact: bytes | None
    # The cache's file holding `artifact` (read-only, mode 0555), which a jail may link
    # into its /code instead of writing the bytes again; None when not cached.
    kept: Path | None = None


@dataclass(frozen=True, slots=True)
class _Job:
    """One build: the toolchain, its command line, the source and the files beside it, the
    cache key and what the result names the toolchain."""

    chain: Toolchain
    argv: list[str]
    source: str
    key: str
    described: str
    files: Mapping[str, bytes]


class Compiler:
    """Builds programs for one worker process, in its warm compile jails."""

    def __init__(self, settings: JudgeSettings, cgroups: Callable[[], CgroupPlan]) -> None:
        self.settings = settings
        self._cgroups = cgroups
        self.cache_dir = settings.work_dir / "artifacts"
        self._remembered: OrderedDict[str, bytes] = OrderedDict()
        self._remembered_bytes = 0
        self._remembered_lock = threading.Lock()
        self._jails = IdleBuildJails(settings)
        # Idle jails must not outlive their compiler, even one nobody closed.
        weakref.finalize(self, self._jails.close)

    def build(
        self,
        language: Language,
        standard: str | None,
        source: str,
        *,
        chain: Toolchain | None = None,
        files: Mapping[str, bytes] | None = None,
    ) -> Build:
        """Build `source` with its language's toolchain (or `chain`), with `files` (relative
        path -> content: a checker's headers and other sources) beside it in the build
        folder."""
        chain = chain or toolchain(language)
        if chain is None:
            raise ValueError(f"{language.value} is not compiled")
        described = chain.describe(standard)
        argv = chain.build_argv(standard, source)
        given = files or {}
        listed = [f"{path}\0{hashlib.sha256(given[path]).hexdigest()}" for path in sorted(given)]
        key = hashlib.sha256(
            "\0".join([described, *argv, source, *listed]).encode("utf-8", "surrogatepass")
        ).hexdigest()
        cached = self._cached(key)
        if cached is not None:
            info = CompileOutput(ok=True, cached=True, toolchain=described)
            return Build(info, cached, self.cache_dir / key)
        return self._compile(_Job(chain, argv, source, key, described, given))

    def _cached(self, key: str) -> bytes | None:
        """The artifact built before from the same source and flags, or None: from this
        process's memory while the cache still holds it, else read whole now (another
        process may forget it any moment)."""
        path = self.cache_dir / key
        try:
            os.utime(path)  # the cache forgets the least recently used first
        except OSError:
            self._remember(key, None)
            return None
        with self._remembered_lock:
            data = self._remembered.get(key)
            if data is not None:
                self._remembered.move_to_end(key)
                return data
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self._remember(key, data)
        return data

    def _remember(self, key: str, data: bytes | None) -> None:
        """Keep `data` as `key`'s artifact in memory (None: forget it), within
        REMEMBERED_BYTES, the least recently used dropped first."""
        with self._remembered_lock:
            self._remembered_bytes -= len(self._remembered.pop(key, b""))
            if data is None or len(data) > REMEMBERED_BYTES:
                return
            self._remembered[key] = data
            self._remembered_bytes += len(data)
            while self._remembered_bytes > REMEMBERED_BYTES:
                _, dropped = self._remembered.popitem(last=False)
                self._remembered_bytes -= len(dropped)

    def _compile(self, job: _Job) -> Build:
        binds = self._prepared(job.chain)  # before the clock starts: made once per machine
        if self.settings.compile_jail_builds:
            jail = self._jails.take(binds, self._cgroups)
            try:
                return self._compile_warm(jail, job)
            except JailGone as exc:
                # The build goes to a one-off jail, whose verdict stands on its own.
                log.warning("a warm compile jail failed during a build: %s", exc)
                jail.close()
            except BaseException:
                jail.close()
                raise
        build = build_folder(self.settings)
        try:
            _place(build, job)
            started = time.monotonic()
            code, output, nsjail_log = self._run(job.argv, build, binds)
            took = time.monotonic() - started
            if code == NSJAIL_FAILED and any(m in nsjail_log for m in NSJAIL_ERROR_MARKS):
                raise JailFailed(f"the compile jail did not start: {nsjail_log[-500:]}")
            return self._built(build, job, code, output, took)
        finally:
            shutil.rmtree(build, ignore_errors=True)

    def _compile_warm(self, jail: BuildJail, job: _Job) -> Build:
        """The build in a warm compile jail, which goes back to the idle ones when it is
        clean again; JailGone when it failed (the caller closes it)."""
        s = self.settings
        _place(jail.folder, job)
        started = time.monotonic()
        code, timed_out, output = jail.build(
            job.argv, time_s=s.compile_time_s, output_bytes=s.compile_output_kb * 1024
        )
        took = time.monotonic() - started
        text = output.decode("utf-8", "replace")
        built = self._built(jail.folder, job, code, text, took, timed_out=timed_out)
        _unplace(jail.folder, job)  # what this process made there; the jail's server the rest
        if jail.clean():
            self._jails.give_back(jail)
        else:
            jail.close()
        return built

    def _built(
        self,
        folder: Path,
        job: _Job,
        code: int,
        output: str,
        took: float,
        *,
        timed_out: bool = False,
    ) -> Build:
        """What a build that ended with `code` and `output` after `took` seconds made."""
        s = self.settings
        timed_out = timed_out or took >= s.compile_time_s
        artifact = folder / (job.chain.artifact or job.chain.source_name(job.source))
        ok = code == 0 and not timed_out and artifact.is_file() and not artifact.is_symlink()
        info = CompileOutput(
            ok=ok,
            timed_out=timed_out,
            exit_code=code,
            output=self._explain(output, code, timed_out),
            time_s=round(took, 3),
            toolchain=job.described,
        )
        if not ok:
            return Build(info, None)
        data = self._keep(artifact, job.key)
        kept = self.cache_dir / job.key if self.settings.artifact_cache else None
        return Build(info, data, kept)

    def close(self) -> None:
        """Stop the idle warm compile jails."""
        self._jails.close()

    def _prepared(self, chain: Toolchain) -> list[str]:
        """nsjail flags binding, read-only, what the toolchain reads that this machine
        prepares once: Go's compiled standard library (`gostd.py`)."""
        if chain.language is not Language.go:
            return []
        return ["--bindmount_ro", f"{go_std(self.settings)}:{GO_STD}"]

    def _run(self, argv: list[str], build: Path, binds: list[str]) -> tuple[int, str, str]:
        """The compiler's exit status (128 + signal when killed), its output and nsjail's log."""
        s = self.settings
        binary = nsjail_binary(s)
        with tempfile.TemporaryFile() as output, tempfile.NamedTemporaryFile() as nsjail_log:
            command = [
                binary,
                *compile_jail_flags(
                    s,
                    self._cgroups(),
                    build,
                    time_limit_s=int(s.compile_time_s),
                    memory_bytes=s.compile_memory_mb * MIB,
                    pids=s.compile_pids,
                ),
                "--log", nsjail_log.name,
                *binds,
                "--",
                *argv,
            ]  # fmt: skip
            try:
                proc = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    # What the compiler makes (a folder of classes, say) the worker can read
                    # and remove without CAP_DAC_OVERRIDE.
                    umask=0,
                )
            except OSError as exc:
                raise SandboxUnavailable(f"cannot execute nsjail: {exc}") from exc
            if not _exits_within(proc, s.compile_time_s + s.protocol_slack_s):
                proc.kill()
                proc.wait()
                raise JailFailed("the compile jail outlived its time limit")
            returncode = proc.wait()
            output.seek(0)
            # The compiler shares nsjail's stderr: what the loader said of nsjail itself
            # (a library's version notes) comes first, and is not the program's business.
            lines = output.read().splitlines(keepends=True)
            while lines and lines[0].startswith(binary.encode() + b":"):
                lines.pop(0)
            text = b"".join(lines)[-s.compile_output_kb * 1024 :].decode("utf-8", "replace")
            return returncode, text, Path(nsjail_log.name).read_text(errors="replace")

    def _explain(self, output: str, code: int, timed_out: bool) -> str:
        s = self.settings
        if timed_out:
            return f"{output}\ncompiling took longer than {s.compile_time_s:g} s".lstrip()
        if code == 128 + 9:  # SIGKILL before the time limit: the memory cgroup's OOM kill
            return f"{output}\nthe compiler ran out of its {s.compile_memory_mb} MB".lstrip()
        if code == 128 + 25:  # SIGXFSZ: a file over the size limit
            return f"{output}\nthe compiler's output is over the file size limit".lstrip()
        return output

    def _keep(self, artifact: Path, key: str) -> bytes:
        """The artifact, also kept in the cache under its key; the least recently used
        entries beyond `artifact_cache` are forgotten."""
        data = artifact.read_bytes()
        if self.settings.artifact_cache == 0:
            return data
        self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        staged = self.cache_dir / f".{key}.{os.getpid()}"
        staged.write_bytes(data)
        staged.chmod(0o555)  # as a jail's /code/main: the jails link it there
        staged.replace(self.cache_dir / key)
        forget_oldest(self.cache_dir, keep=self.settings.artifact_cache)
        self._remember(key, data)
        return data


def _place(folder: Path, job: _Job) -> None:
    """The source, and the files that go beside it, in the build folder."""
    (folder / job.chain.source_name(job.source)).write_text(
        job.source, encoding="utf-8", errors="surrogatepass"
    )
    for path, content in job.files.items():  # relative and normal (the schema checked)
        placed = folder / path
        for parent in reversed(placed.relative_to(folder).parents[:-1]):
            (folder / parent).mkdir(exist_ok=True)
            (folder / parent).chmod(0o755)
        placed.write_bytes(content)
        placed.chmod(0o644)  # read by the jail's user, whatever this process's umask


def _unplace(folder: Path, job: _Job) -> None:
    """Remove what `_place` made: its folders are this process's, not the jail's to empty."""
    made = {job.chain.source_name(job.source), *(Path(path).parts[0] for path in job.files)}
    for name in made:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _exits_within(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Whether `proc` ends within `timeout` seconds, told the moment it does (its pidfd):
    `subprocess.run`'s timed wait polls with sleeps growing to 50 ms, which cost a build
    some 20 ms on average after the compiler was done."""
    pidfd = os.pidfd_open(proc.pid)
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        return bool(poller.poll(int(timeout * 1000)))
    finally:
        os.close(pidfd)


def forget_oldest(folder: Path, *, keep: int) -> None:
    """Remove all but the `keep` most recently used artifacts in `folder` (files being
    staged, named with a leading dot, stay).  Other threads and worker processes share the
    folder and forget entries too: one gone before this reads or removes it is skipped.
    Only a folder over `keep` is read in full (names alone are cheap, a stat per entry is
    not), and then it is cut a tenth below `keep`, so that happens once in many builds."""
    if len(os.listdir(folder)) <= keep:
        return
    keep = keep - keep // 10
    used: list[tuple[float, Path]] = []
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        try:
            used.append((entry.stat().st_mtime, entry))
        except FileNotFoundError:
            continue
    used.sort()
    for _, old in used[: max(0, len(used) - keep)]:
        old.unlink(missing_ok=True)
