"""Lines from a helper process's stdout pipe, never waiting past a deadline: the harness's
records (`jail.py`), a keeper's answers and a warm compile jail's."""

from __future__ import annotations

import os
import selectors
import time
from typing import IO

READ_BYTES = 1 << 16


class NoLine(Exception):
    """No line came: the pipe `ended`, the deadline passed (`late`), or more than the limit
    came without a newline (`long`)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Lines:
    """The lines a process writes to `stream` (its stdout), read without blocking."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._fd = stream.fileno()
        os.set_blocking(self._fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self.buffer = b""  # what came after the last line

    def next(self, deadline: float, limit: int) -> bytes:
        """The next line, without its newline; NoLine when none comes by `deadline` (on the
        monotonic clock) or `limit` bytes came without one."""
        while b"\n" not in self.buffer:
            if len(self.buffer) > limit:
                raise NoLine("long")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NoLine("late")
            if not self._selector.select(remaining):
                continue
            try:
                # os.read, not the buffered reader: its read of n bytes allocates n first,
                # and a line is mostly a few hundred bytes.
                chunk = os.read(self._fd, READ_BYTES)
            except BlockingIOError:
                continue
            if chunk == b"":
                raise NoLine("ended")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def close(self) -> None:
        self._selector.close()
        self._stream.close()
