"""The checker jail's own part (`workers/judge/inside/checking.py`), here in a temporary
folder: the feedback folder made and cleared around each run, the judge message read back
with bounds, and the copies a jail without /proc gives the checker instead of /dev/fd."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.judge.inside import checking
from workers.judge.testfiles import sealed_memfd


@pytest.fixture()
def jail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(checking, "FEEDBACK", str(tmp_path / "feedback"))
    monkeypatch.setattr(checking, "COPIES", str(tmp_path / "check"))
    yield tmp_path


def test_the_feedback_folder_is_fresh_and_its_message_comes_back(jail: Path) -> None:
    argv = ["/code/main", "/dev/fd/3", "/dev/fd/5", checking.FEEDBACK]
    assert checking.prepare(argv) == argv
    feedback = Path(checking.FEEDBACK)
    (feedback / "judgemessage.txt").write_text("wrong on line 2\n")
    (feedback / "nested").mkdir()
    (feedback / "nested" / "locked").write_text("x")
    (feedback / "nested").chmod(0o000)
    out = os.memfd_create("feedback")
    try:
        checking.finish(out)
        assert os.pread(out, 100, 0) == b"wrong on line 2\n"
    finally:
        os.close(out)
    assert not feedback.exists()
    checking.prepare(argv)  # a run after: the folder is made again


def test_the_message_is_bounded_and_only_a_regular_file(jail: Path) -> None:
    checking.prepare([])
    message = Path(checking.FEEDBACK) / "judgemessage.txt"
    message.write_bytes(b"x" * (checking.MESSAGE_BYTES + 10))
    out = os.memfd_create("feedback")
    try:
        checking.finish(out)
        assert len(os.pread(out, 1 << 20, 0)) == checking.MESSAGE_BYTES
        checking.prepare([])
        os.mkfifo(message)  # opened without blocking, and not read
        checking.finish(out)
        checking.prepare([])
        message.symlink_to("/etc/hostname")  # never followed
        before = os.lseek(out, 0, os.SEEK_END)
        checking.finish(out)
        assert os.lseek(out, 0, os.SEEK_END) == before
    finally:
        os.close(out)


def test_without_proc_the_files_are_copied(jail: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checking, "PROC_FD", str(jail / "no-proc"))
    made = {fd: sealed_memfd(name, name.encode() * 3) for fd, name in ((3, "in"), (4, "out"))}
    made[5] = sealed_memfd("ans", b"")
    saved = {fd: os.dup(fd) if _open(fd) else None for fd in made}
    try:
        for fd, memfd in made.items():
            os.dup2(memfd, fd)
        argv = checking.prepare(["/code/main", "/dev/fd/3", "/dev/fd/4", "/dev/fd/5", "x"])
    finally:
        for fd, old in saved.items():
            if old is None:
                os.close(fd)
            else:
                os.dup2(old, fd)
                os.close(old)
        for memfd in made.values():
            os.close(memfd)
    copies = Path(checking.COPIES)
    assert argv == ["/code/main", *(str(copies / n) for n in ("input", "output", "answer")), "x"]
    assert (copies / "input").read_bytes() == b"ininin"
    assert (copies / "output").read_bytes() == b"outoutout"
    assert (copies / "answer").read_bytes() == b""
    out = os.memfd_create("feedback")
    checking.finish(out)
    os.close(out)
    assert not copies.exists()


def _open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
