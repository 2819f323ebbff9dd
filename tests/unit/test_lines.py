"""Lines from a helper's pipe: whole lines in order, and why none came when none does."""

from __future__ import annotations

import os
import time

import pytest

from workers.judge.lines import Lines, NoLine


def _pipe() -> tuple[Lines, int]:
    read, write = os.pipe()
    return Lines(open(read, "rb")), write  # Lines closes the reading end


def test_lines_come_whole_and_in_order() -> None:
    lines, write = _pipe()
    try:
        os.write(write, b"one\ntw")
        soon = time.monotonic() + 1
        assert lines.next(soon, 100) == b"one"
        os.write(write, b"o\nthree\n")
        assert lines.next(soon, 100) == b"two" and lines.next(soon, 100) == b"three"
        assert lines.buffer == b""
    finally:
        os.close(write)
        lines.close()


def test_no_line_says_why() -> None:
    lines, write = _pipe()
    try:
        started = time.monotonic()
        with pytest.raises(NoLine) as late:
            lines.next(started + 0.05, 100)
        assert late.value.why == "late" and time.monotonic() - started < 1
        os.write(write, b"x" * 200)
        with pytest.raises(NoLine) as long:
            lines.next(time.monotonic() + 1, 100)
        assert long.value.why == "long"
    finally:
        os.close(write)
    with pytest.raises(NoLine) as ended:
        lines.next(time.monotonic() + 1, 1000)
    assert ended.value.why == "ended"
    lines.close()
