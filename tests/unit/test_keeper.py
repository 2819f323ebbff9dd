"""The keeper's scratch mounts come from the jail's own profile."""

from __future__ import annotations

from workers.jail import INSIDE_UID, scratch_mounts
from workers.settings import judge_settings


def test_scratch_mounts_are_the_profiles_tmpfs_mounts_owned_by_the_jails_user() -> None:
    mounts = scratch_mounts(judge_settings().profiles_dir / "python.cfg")
    folders = {m.split("=", 1)[0]: m.split("=", 1)[1] for m in mounts}
    assert set(folders) == {"/tmp", "/dev/shm"}
    assert folders["/tmp"].startswith("size=16777216,nr_inodes=4096,mode=1777")
    assert all(o.endswith(f"uid={INSIDE_UID},gid={INSIDE_UID}") for o in folders.values())
