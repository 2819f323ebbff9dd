"""The judge makes moving a test's process into its cgroup cheap after an idle moment
(`favor_dynamic_moves`): where no cgroup mount has favordynmods and the worker may remount
one, a judge's first use of its cgroups turns it on for the whole kernel."""

from __future__ import annotations

import ctypes
import os

import pytest

from workers.judge import grade
from workers.judge.cgroups import FAVOR_DYNMODS, MOUNTINFO, CgroupMount, cgroup_mounts
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

MS_REMOUNT = 32
MOUNT_FLAGS = {"nosuid": 2, "nodev": 4, "noexec": 8, "relatime": 1 << 21, "noatime": 1024}


def _cgroup2() -> list[CgroupMount]:
    return [m for m in cgroup_mounts(MOUNTINFO.read_text()) if m.fstype == "cgroup2"]


def _favoured() -> bool:
    return any(FAVOR_DYNMODS in m.super_options for m in cgroup_mounts(MOUNTINFO.read_text()))


def _initial_cgroup_namespace() -> bool:
    """Whether this process shares PID 1's cgroup namespace (where PID 1's cannot be read,
    as in some sandboxes, assumed so: the test then fails rather than skips)."""
    try:
        return os.readlink("/proc/self/ns/cgroup") == os.readlink("/proc/1/ns/cgroup")
    except PermissionError:
        return True


def _unfavour(mount: CgroupMount) -> None:
    """Remount `mount` as it is but without favordynmods (mount(2) itself: a cgroup2 remount
    sets each flag of the hierarchy to what it is given)."""
    libc = ctypes.CDLL(None, use_errno=True)
    flags = MS_REMOUNT
    for option in mount.mount_options:
        flags |= MOUNT_FLAGS.get(option, 0)
    kept = ",".join(o for o in mount.super_options if o not in ("rw", "ro", FAVOR_DYNMODS))
    point = mount.point.encode()
    if libc.mount(b"cgroup2", point, b"cgroup2", flags, kept.encode()) != 0:
        pytest.skip(f"cannot remount {mount.point}: errno {ctypes.get_errno()}")


@pytest.mark.skipif(os.geteuid() != 0, reason="remounting cgroup2 needs root")
def test_a_judge_turns_favoured_moves_on_where_it_may(monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = _cgroup2()
    if not mounts or not _initial_cgroup_namespace():
        pytest.skip("no cgroup2 mount in the initial cgroup namespace")
    for mount in mounts:
        _unfavour(mount)
    if _favoured():
        pytest.skip("a cgroup v1 mount has favordynmods, which a remount cannot clear")
    said: list[str] = []
    monkeypatch.setattr(grade, "_say_dynmods", said.append)
    off = Judge(JudgeSettings(cgroup_favor_dynmods=False))
    assert off.cgroups is not None and said == [] and not _favoured()  # the setting is obeyed
    off.close()
    judge = Judge()
    try:
        assert judge.cgroups is not None
        assert said and said[0].startswith("turned on") and _favoured()
        # Every option of the mounts is as it was, with favordynmods added.
        for before, after in zip(mounts, _cgroup2(), strict=True):
            assert after.mount_options == before.mount_options
            assert {*before.super_options, FAVOR_DYNMODS} == set(after.super_options)
    finally:
        judge.close()
