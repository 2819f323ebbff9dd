"""cgroup set-up for jails: v1 (per-controller hierarchies) and v2 (unified).

nsjail puts each jail in its own cgroup under a parent that must already exist with the
memory and pids controllers available.  This module creates that parent and returns the
nsjail flags that point at it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workers.errors import SandboxUnavailable

log = logging.getLogger(__name__)
V1_CONTROLLERS = ("memory", "pids")


@dataclass(frozen=True, slots=True)
class CgroupPlan:
    version: Literal[1, 2]
    parent: Path
    flags: tuple[str, ...]
    swap_flag: str


def detect_version(root: Path) -> Literal[1, 2]:
    if (root / "cgroup.controllers").is_file():
        return 2
    if all((root / name).is_dir() for name in V1_CONTROLLERS):
        return 1
    raise SandboxUnavailable(
        f"no usable cgroup hierarchy at {root}: need v2, or v1 memory and pids"
    )


def prepare_cgroups(root: Path, parent: str, version: Literal["auto", "v1", "v2"]) -> CgroupPlan:
    """Create the parent cgroup(s) jails go under; raise SandboxUnavailable if we cannot."""
    chosen = detect_version(root) if version == "auto" else (1 if version == "v1" else 2)
    try:
        return _prepare_v1(root, parent) if chosen == 1 else _prepare_v2(root, parent)
    except OSError as exc:
        raise SandboxUnavailable(
            f"cannot prepare cgroup v{chosen} parent {parent!r}: {exc}"
        ) from exc


def _prepare_v1(root: Path, parent: str) -> CgroupPlan:
    flags: list[str] = []
    for controller in V1_CONTROLLERS:
        (root / controller / parent).mkdir(exist_ok=True)
        short = "mem" if controller == "memory" else controller
        flags += [
            f"--cgroup_{short}_mount",
            str(root / controller),
            f"--cgroup_{short}_parent",
            parent,
        ]
    # Without swap accounting there is no memsw file; then the host must have no swap.
    has_memsw = (root / "memory" / parent / "memory.memsw.limit_in_bytes").exists()
    return CgroupPlan(
        1, root / "memory" / parent, tuple(flags), "--cgroup_mem_memsw_max" if has_memsw else ""
    )


def _prepare_v2(root: Path, parent: str) -> CgroupPlan:
    available = (root / "cgroup.controllers").read_text().split()
    missing = [c for c in V1_CONTROLLERS if c not in available]
    if missing:
        raise SandboxUnavailable(f"cgroup v2 at {root} lacks controllers {missing}")
    _enable_controllers(root)
    jails = root / parent
    jails.mkdir(exist_ok=True)
    (jails / "cgroup.subtree_control").write_text("+memory +pids")
    # A kernel without swap accounting has no memory.swap.max (nor swap to limit).
    swap = "--cgroup_mem_swap_max" if (jails / "memory.swap.max").exists() else ""
    return CgroupPlan(2, jails, ("--use_cgroupv2", "--cgroupv2_mount", str(jails)), swap)


def _enable_controllers(root: Path) -> None:
    """Enable memory and pids for children of `root`.

    v2 forbids controllers in a cgroup's subtree while processes sit in it (except at the
    real root), which is how a container starts; those processes move to a leaf first.
    """
    enabled = (root / "cgroup.subtree_control").read_text().split()
    if all(c in enabled for c in V1_CONTROLLERS):
        return
    procs = [p for p in (root / "cgroup.procs").read_text().split() if p]
    if procs and (root / "cgroup.type").exists():
        leaf = root / "crucible-init"
        leaf.mkdir(exist_ok=True)
        for pid in procs:
            try:
                (leaf / "cgroup.procs").write_text(pid)
            except OSError as exc:
                log.debug("could not move pid %s to %s: %s", pid, leaf, exc)
    (root / "cgroup.subtree_control").write_text("+memory +pids")


def oom_kills(plan: CgroupPlan, jailed_pid: int) -> int | None:
    """How many processes the kernel's OOM killer has killed in the jail whose first process
    is `jailed_pid` (nsjail names its cgroup NSJAIL.<pid>); None when that cannot be read."""
    name = "memory.oom_control" if plan.version == 1 else "memory.events"
    try:
        text = (plan.parent / f"NSJAIL.{jailed_pid}" / name).read_text()
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key == "oom_kill":
            return int(value)
    return None
