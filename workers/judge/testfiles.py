"""The descriptors of one test: made on the host, passed into the jail, read back here.

The harness only places them in a test's child (`workers/judge/inside/harness.py`); it never
reads what they hold.  So a test's input, arguments or assert code, and the program's
stdout, stderr and result, never enter the harness's memory, which every later program of
the jail is forked from (issue 12).  What goes in is sealed: nothing in the jail can change
it.  What comes out is read with bounds once the harness says every process of the test is
gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workers.judge.answers import MAX_ANSWER_BYTES
from workers.judge.inside.protocol import Record

STDERR_TAIL = 4096
SEALS = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE
# An output memfd is made at its final size (a page past the cap: pages never written take no
# memory) and sealed there, so a write past it fails (EPERM) and its offset, shared with the
# program's descriptor, says how much was written.  No rlimit caps output: RLIMIT_FSIZE would
# cap the program's scratch files too, which a program run bare can write at any size.
CAPPED = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW
PAGE = os.sysconf("SC_PAGE_SIZE")


def capped_memfd(name: str, cap: int) -> int:
    """A memfd for a program's output of at most `cap` bytes: written past the cap, its
    offset exceeds it (`written`), and it never grows beyond a page more."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        os.ftruncate(fd, (cap // PAGE + 2) * PAGE)
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, CAPPED)
    except BaseException:
        os.close(fd)
        raise
    return fd


def written(fd: int, cap: int) -> bytes:
    """What a program wrote to an output memfd from its start: `cap + 1` bytes at most,
    the last of them only when it wrote past the cap."""
    end = os.lseek(fd, 0, os.SEEK_CUR)
    return os.pread(fd, min(end, cap + 1), 0)


def sealed_memfd(name: str, data: bytes) -> int:
    """A memfd holding `data`, sealed against every change, positioned at its start."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, SEALS)
    except BaseException:
        os.close(fd)
        raise
    return fd


def collect_stderr(record: Record, fd: int, output_bytes: int) -> None:
    """Into `record`: whether the program's stderr (memfd `fd`) went over its cap, and the
    tail of what it wrote within it."""
    end = os.lseek(fd, 0, os.SEEK_CUR)
    record["stderr_over"] = end > output_bytes
    size = min(end, output_bytes)
    tail = os.pread(fd, STDERR_TAIL, max(0, size - STDERR_TAIL))[:size]
    record["stderr_tail"] = tail.decode("utf-8", "replace")


@dataclass(slots=True)
class TestFiles:
    """What one test is given (`given`: stdin, call arguments or the assert test) and where
    its program's stdout, stderr and (call, assert) result land."""

    __test__ = False  # not a pytest test class, whatever its name

    kind: str
    given: int
    stdout: int
    stderr: int
    result: int | None
    token: str | None = None

    @classmethod
    def make(
        cls, kind: str, payload: Any, takes: Sequence[str] = (), *, output_bytes: int
    ) -> TestFiles:
        """`payload`: the stdin text (stdio), `[args, kwargs]` (call) or the test's source
        (assert, which also gets the names it takes from the program and a fresh token its
        process writes once the test ran to completion).  stdout and stderr each hold
        `output_bytes` at most (`capped_memfd`)."""
        token = None
        if kind == "stdio":
            data = str(payload).encode("utf-8", "surrogateescape")
        elif kind == "call":
            args, kwargs = payload
            data = json.dumps({"args": args, "kwargs": kwargs}).encode()
        else:
            token = secrets.token_hex(16)
            test = {"source": payload, "takes": list(takes), "token": token}
            data = json.dumps(test).encode("utf-8", "surrogatepass")
        fds: list[int] = []
        try:
            fds.append(sealed_memfd(kind, data))
            for name in ("stdout", "stderr"):
                fds.append(capped_memfd(name, output_bytes))
            if kind != "stdio":
                fds.append(os.memfd_create("result", os.MFD_CLOEXEC))
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        result = fds[3] if len(fds) > 3 else None
        return cls(kind, fds[0], fds[1], fds[2], result, token)

    @property
    def fds(self) -> list[int]:
        """In the order the harness expects them."""
        own = [self.given, self.stdout, self.stderr]
        return own if self.result is None else [*own, self.result]

    def collect(self, record: Record, output_bytes: int) -> Record:
        """`record` with what the test's processes wrote: `stdout` (one byte past the cap at
        most, so that output over it shows), `stderr_tail`, and the call's `result` bytes or
        whether the assert test `completed` (its process wrote its token)."""
        record["stdout"] = written(self.stdout, output_bytes)
        collect_stderr(record, self.stderr, output_bytes)
        if self.result is not None and self.kind == "call":
            record["result"] = os.pread(self.result, MAX_ANSWER_BYTES + 1, 0)
        elif self.result is not None:
            done = json.dumps({"done": self.token}).encode()
            record["completed"] = os.pread(self.result, len(done) + 1, 0) == done
        return record

    def close(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
