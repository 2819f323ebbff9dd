"""The keeper's scratch mounts come from the jail's own profile; whose fault a lost
submission process is."""

from __future__ import annotations

import signal

import pytest

from workers.judge.errors import JailFailed
from workers.judge.jail import INSIDE_UID, killed_by, scratch_mounts
from workers.judge.settings import judge_settings


def test_scratch_mounts_are_the_profiles_tmpfs_mounts_owned_by_the_jails_user() -> None:
    mounts = scratch_mounts(judge_settings().profiles_dir / "python.cfg")
    folders = {m.split("=", 1)[0]: m.split("=", 1)[1] for m in mounts}
    assert set(folders) == {"/tmp", "/dev/shm"}
    assert folders["/tmp"].startswith("size=16777216,nr_inodes=4096,mode=1777")
    assert all(o.endswith(f"uid={INSIDE_UID},gid={INSIDE_UID}") for o in folders.values())


def test_only_sigkill_and_sigstop_of_the_submissions_process_are_the_programs() -> None:
    assert killed_by({"event": "result", "exit_code": 0}) is None
    assert killed_by({"event": "lost", "signal": signal.SIGKILL}) == signal.SIGKILL
    assert killed_by({"event": "lost", "signal": signal.SIGSTOP}) == signal.SIGSTOP
    # Every other signal is blocked there: one that ended it is a fault of its own.
    for record in ({"event": "lost", "signal": signal.SIGSEGV}, {"event": "lost", "exit_code": 1}):
        with pytest.raises(JailFailed):
            killed_by(record)
