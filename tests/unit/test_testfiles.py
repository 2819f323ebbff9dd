"""Output memfds capped by their sealed size, not by RLIMIT_FSIZE (issue 13): a program's
scratch files have no size limit of ours, and its output still stops at the cap."""

from __future__ import annotations

import errno
import os

import pytest

from workers.judge.testfiles import TestFiles, capped_memfd, written

CAP = 10_000


def test_output_within_the_cap_reads_back_exactly() -> None:
    fd = capped_memfd("stdout", CAP)
    try:
        os.write(fd, b"hello\n")
        os.write(fd, b"x" * 100)
        assert written(fd, CAP) == b"hello\n" + b"x" * 100
    finally:
        os.close(fd)


def test_a_write_past_the_cap_fails_and_shows_as_over_it() -> None:
    fd = capped_memfd("stdout", CAP)
    try:
        with pytest.raises(OSError) as refused:
            while True:  # one large write is cut short at the end; the next one fails
                os.write(fd, b"z" * 65536)
        assert refused.value.errno == errno.EPERM
        out = written(fd, CAP)
        assert len(out) == CAP + 1 and out == b"z" * (CAP + 1)
        # The file never grew past its sealed size: a page or two beyond the cap.
        assert os.fstat(fd).st_size < CAP + 3 * os.sysconf("SC_PAGE_SIZE")
    finally:
        os.close(fd)


def test_a_program_cannot_shrink_or_regrow_its_output_file() -> None:
    fd = capped_memfd("stderr", CAP)
    try:
        with pytest.raises(OSError):
            os.ftruncate(fd, 0)
        with pytest.raises(OSError):
            os.ftruncate(fd, CAP * 100)
    finally:
        os.close(fd)


def test_collect_reads_what_each_stream_got_and_whether_stderr_went_over() -> None:
    files = TestFiles.make("stdio", "1 2\n", output_bytes=CAP)
    try:
        os.write(files.stdout, b"3\n")
        os.write(files.stderr, b"e" * (CAP + 50))
        record = files.collect({}, CAP)
        assert record["stdout"] == b"3\n"
        assert record["stderr_over"] is True
        assert record["stderr_tail"] == "e" * 4096
        assert os.pread(files.given, 100, 0) == b"1 2\n"
    finally:
        files.close()
