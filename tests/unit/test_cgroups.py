"""cgroup parent set-up for v1 and v2, on a folder tree shaped like each hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.judge import cgroups
from workers.judge.cgroups import (
    FAVOR_DYNMODS,
    cgroup_mounts,
    detect_version,
    favor_dynamic_moves,
    make_jail_cgroups,
    prepare_cgroups,
    remount_options,
)
from workers.judge.errors import SandboxUnavailable


def v2_tree(root: Path, procs: str = "") -> Path:
    root.mkdir(exist_ok=True)
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text("")
    (root / "cgroup.procs").write_text(procs)
    (root / "cgroup.type").write_text("domain\n")
    return root


def test_v1_creates_a_parent_per_controller(tmp_path: Path) -> None:
    for controller in ("memory", "pids", "cpuacct"):
        (tmp_path / controller).mkdir()
    plan = prepare_cgroups(tmp_path, "NSJAIL", "auto")
    assert plan.version == 1
    assert (tmp_path / "cpuacct" / "NSJAIL").is_dir()  # where program cgroups go (issue 12)
    assert (tmp_path / "memory" / "NSJAIL").is_dir() and (tmp_path / "pids" / "NSJAIL").is_dir()
    assert "--cgroup_mem_parent" in plan.flags and str(tmp_path / "pids") in plan.flags
    assert plan.swap_flag == ""  # no memsw file in this tree: swap accounting is off


def test_v2_moves_processes_to_a_leaf_and_enables_controllers(tmp_path: Path) -> None:
    root = v2_tree(tmp_path / "cg", procs="1\n")
    assert detect_version(root) == 2
    plan = prepare_cgroups(root, "NSJAIL", "auto")
    assert plan.version == 2
    assert plan.flags == ("--use_cgroupv2", "--cgroupv2_mount", str(root / "NSJAIL"))
    assert (root / "crucible-init" / "cgroup.procs").read_text() == "1"
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert (root / "NSJAIL" / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert plan.swap_flag == ""  # this tree has no memory.swap.max: no swap accounting
    (root / "NSJAIL" / "memory.swap.max").write_text("max\n")
    assert prepare_cgroups(root, "NSJAIL", "v2").swap_flag == "--cgroup_mem_swap_max"


@pytest.fixture
def files_appear(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a plain folder tree, a cgroup's files exist once opened (the kernel makes them)."""
    real_open = cgroups.os.open
    monkeypatch.setattr(
        cgroups.os, "open", lambda path, flags: real_open(path, flags | cgroups.os.O_CREAT, 0o644)
    )


def test_v1_jail_gets_a_program_cgroup_with_the_tests_memory_limit(
    tmp_path: Path, files_appear: None
) -> None:
    for controller in ("memory", "pids", "cpuacct"):
        (tmp_path / controller).mkdir()
    plan = prepare_cgroups(tmp_path, "NSJAIL", "v1")
    own = make_jail_cgroups(plan, memory_mb=64, pids=8)
    try:
        memory, cpuacct = own.parents
        assert memory.parent == tmp_path / "memory" / "NSJAIL"
        assert cpuacct.parent == tmp_path / "cpuacct" / "NSJAIL"
        assert (memory / "program" / "memory.limit_in_bytes").read_text() == str(64 << 20)
        # nsjail makes the harness's cgroup beside the program's, in the jail's folder.
        at = own.flags.index("--cgroup_mem_parent") + 1
        assert own.flags[at] == f"NSJAIL/{memory.name}"
        assert own.flags[own.flags.index("--cgroup_pids_parent") + 1] == "NSJAIL"
        assert own.spec["cpu_unit"] == "ns" and len(own.spec["procs"]) == 2  # type: ignore[arg-type]
        assert len(own.fds) == 5
    finally:
        own.close_fds()


def test_v2_jail_gets_a_program_cgroup_beside_the_harness(
    tmp_path: Path, files_appear: None
) -> None:
    root = v2_tree(tmp_path / "cg")
    plan = prepare_cgroups(root, "NSJAIL", "v2")
    own = make_jail_cgroups(plan, memory_mb=64, pids=8)
    try:
        (jail,) = own.parents
        assert own.flags == ("--use_cgroupv2", "--cgroupv2_mount", str(jail))
        assert (jail / "cgroup.subtree_control").read_text() == "+memory +pids"
        assert (jail / "pids.max").read_text() == "8"  # harness and program together
        assert (jail / "program" / "memory.max").read_text() == str(64 << 20)
        assert own.spec["cpu_unit"] == "stat" and own.spec["peak"] is not None
    finally:
        own.close_fds()


def test_v2_without_memory_controller_is_unavailable(tmp_path: Path) -> None:
    root = v2_tree(tmp_path / "cg")
    (root / "cgroup.controllers").write_text("cpu io\n")
    with pytest.raises(SandboxUnavailable, match="memory"):
        prepare_cgroups(root, "NSJAIL", "v2")


def test_no_hierarchy_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SandboxUnavailable):
        prepare_cgroups(tmp_path, "NSJAIL", "auto")


HYBRID = """\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,nosuid,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
NODE_V2 = (
    "30 24 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2"
    " rw,nsdelegate,memory_recursiveprot\n"
    "50 24 0:40 / /mnt/odd\\040place rw,relatime - cgroup2 cgroup2 rw,favordynmods\n"
)


def test_cgroup_mounts_are_read_from_mountinfo() -> None:
    mounts = cgroup_mounts(HYBRID)
    assert [(m.point, m.fstype) for m in mounts] == [
        ("/sys/fs/cgroup/cpu", "cgroup"),
        ("/sys/fs/cgroup/memory", "cgroup"),
        ("/sys/fs/cgroup/unified", "cgroup2"),
    ]
    assert mounts[1].mount_options == ("rw", "nosuid", "relatime")
    assert mounts[1].super_options == ("rw", "memory")
    node, odd = cgroup_mounts(NODE_V2)  # optional fields before the separator
    assert node.point == "/sys/fs/cgroup" and node.super_options[1:] == (
        "nsdelegate",
        "memory_recursiveprot",
    )
    assert odd.point == "/mnt/odd place" and FAVOR_DYNMODS in odd.super_options


def test_a_remount_keeps_every_option_and_adds_favordynmods_once() -> None:
    """A cgroup2 remount sets each hierarchy flag to what it is given: nsdelegate and
    memory_recursiveprot must be given again, and nosuid, nodev and noexec stay."""
    node, odd = cgroup_mounts(NODE_V2)
    assert remount_options(node) == (
        "remount,rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot,favordynmods"
    )
    assert remount_options(odd) == "remount,rw,relatime,favordynmods"


def test_favoured_moves_are_left_alone_and_a_host_without_cgroup2_says_so(
    tmp_path: Path,
) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(NODE_V2)
    assert favor_dynamic_moves(info) == "on"  # nothing remounted: one mount has it
    info.write_text(HYBRID.replace(" - cgroup2 cgroup2 rw\n", " - tmpfs tmpfs rw\n"))
    assert favor_dynamic_moves(info) == "off: no cgroup2 mount to set it on"
    assert favor_dynamic_moves(tmp_path / "missing").startswith("off: cannot read")
