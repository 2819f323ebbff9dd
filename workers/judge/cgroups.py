"""cgroup set-up for jails: v1 (per-controller hierarchies) and v2 (unified).

nsjail puts each jail in its own cgroup under a parent that must already exist with the
memory and pids controllers available.  This module creates that parent and returns the
nsjail flags that point at it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workers.judge.errors import SandboxUnavailable

log = logging.getLogger(__name__)
V1_CONTROLLERS = ("memory", "pids")
# Where each test's program cgroup lives on v1: memory (its limit) and cpuacct (its CPU time).
V1_ACCOUNTING = ("memory", "cpuacct")
MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class CgroupPlan:
    version: Literal[1, 2]
    parent: Path
    flags: tuple[str, ...]
    swap_flag: str


# The cgroup mount option that keeps moving a process between cgroups from waiting for an
# RCU grace period (`favor_dynamic_moves`).
FAVOR_DYNMODS = "favordynmods"
MOUNTINFO = Path("/proc/self/mountinfo")


@dataclass(frozen=True, slots=True)
class CgroupMount:
    """One cgroup file system as /proc/self/mountinfo lists it."""

    point: str
    fstype: str  # cgroup (v1) or cgroup2
    mount_options: tuple[str, ...]  # the mount's own: rw, nosuid, relatime...
    super_options: tuple[str, ...]  # the hierarchy's: its controllers, nsdelegate...


def cgroup_mounts(mountinfo: str) -> list[CgroupMount]:
    """The cgroup and cgroup2 mounts in `mountinfo` (the text of /proc/<pid>/mountinfo)."""
    found = []
    for line in mountinfo.splitlines():
        own, _, rest = line.partition(" - ")
        fields, after = own.split(), rest.split()
        if len(fields) < 6 or len(after) < 3 or after[0] not in ("cgroup", "cgroup2"):
            continue
        point = fields[4].replace("\\040", " ")
        found.append(
            CgroupMount(point, after[0], tuple(fields[5].split(",")), tuple(after[2].split(",")))
        )
    return found


def remount_options(mount: CgroupMount) -> str:
    """`mount -o` options that remount `mount` as it is, with favordynmods added: a cgroup2
    remount sets each of the hierarchy's flags to what it is given, so all are given."""
    kept = [*mount.mount_options, *(o for o in mount.super_options if o not in ("rw", "ro"))]
    return ",".join(["remount", *dict.fromkeys([*kept, FAVOR_DYNMODS])])


def favor_dynamic_moves(mountinfo: Path = MOUNTINFO) -> str:
    """Make moving a process into a cgroup cheap after an idle moment; what came of it.

    Each test's process joins its program cgroup, and a move takes the kernel's
    cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period whenever no
    move happened within the last one: 5 to 20 ms of a test's wall time, once a worker had
    been idle for a fraction of a second (a one-test C++ submission took 7 to 22 ms instead
    of 2).  The cgroup2 mount option `favordynmods` keeps that lock ready for writers, for
    slightly dearer forks and exits; it is one flag for the whole kernel, which any cgroup2
    mount of the initial cgroup namespace can set.  Where no mount has it, the worker
    remounts one with it when it may (root in the host's namespaces); in a container with a
    cgroup namespace of its own it cannot, and the node's own set-up must
    (docs/deploy.md)."""
    try:
        mounts = cgroup_mounts(mountinfo.read_text())
    except OSError as exc:
        return f"off: cannot read {mountinfo}: {exc}"
    if any(FAVOR_DYNMODS in m.super_options for m in mounts):
        return "on"
    tried = [m for m in mounts if m.fstype == "cgroup2"]
    for mount in tried:
        done = subprocess.run(
            ["mount", "-o", remount_options(mount), mount.point],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            log.debug("cannot remount %s with %s: %s", mount.point, FAVOR_DYNMODS, done.stderr)
            continue
        again = cgroup_mounts(mountinfo.read_text())
        if any(FAVOR_DYNMODS in m.super_options for m in again):
            return f"turned on ({mount.point})"
    if not tried:
        return "off: no cgroup2 mount to set it on"
    return "off: no cgroup2 mount could be remounted with it"


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
    # No nsjail flag for cpuacct: each jail's program cgroup is made there (`make_jail_cgroups`).
    (root / "cpuacct" / parent).mkdir(exist_ok=True)
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


@dataclass(slots=True)
class JailCgroups:
    """The cgroups of one jail, made by the worker before nsjail starts (issue 12).

    `parents`: one folder per hierarchy (`<parent>/jail.<id>`), in which nsjail makes the
    harness's cgroup (v1: memory; v2: the unified one) and which holds `program`, the
    cgroup each test's program joins as soon as it is forked.  Its own memory limit is the
    test's, so the kernel bounds (and OOM-kills within) everything a test starts and never
    the harness; its CPU usage, peak memory and OOM count are that tree's totals, children
    that were never reaped included.  `fds`: what the harness needs of it, opened here by
    the worker and passed to nsjail, as `spec` tells the harness.
    """

    parents: tuple[Path, ...]
    flags: tuple[str, ...]
    fds: tuple[int, ...]
    spec: dict[str, object]

    def close_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = ()

    def remove(self, *, timeout: float = 5.0) -> None:
        """Remove the jail's cgroups once nothing runs in them (nsjail has exited)."""
        self.close_fds()
        deadline = time.monotonic() + timeout
        for parent in self.parents:
            if not parent.is_dir():
                continue
            for folder in [*(f for f in parent.iterdir() if f.is_dir()), parent]:
                while True:
                    try:
                        folder.rmdir()
                        break
                    except FileNotFoundError:
                        break
                    except OSError as exc:
                        if time.monotonic() > deadline:
                            log.warning("cannot remove cgroup %s: %s", folder, exc)
                            break
                        time.sleep(0.01)


def make_jail_cgroups(plan: CgroupPlan, *, memory_mb: int, pids: int) -> JailCgroups:
    """Make one jail's cgroups under the plan's parent; raise SandboxUnavailable if we cannot."""
    name = f"jail.{uuid.uuid4().hex[:16]}"
    made: list[Path] = []
    try:
        if plan.version == 1:
            return _jail_v1(plan, name, memory_mb, made)
        return _jail_v2(plan, name, memory_mb, pids, made)
    except OSError as exc:
        JailCgroups(tuple(made), (), (), {}).remove(timeout=1.0)
        raise SandboxUnavailable(f"cannot make the jail's cgroups: {exc}") from exc


def _jail_v1(plan: CgroupPlan, name: str, memory_mb: int, made: list[Path]) -> JailCgroups:
    flags = list(plan.flags)
    root = Path(flags[flags.index("--cgroup_mem_mount") + 1]).parent
    at = flags.index("--cgroup_mem_parent") + 1
    parent, flags[at] = flags[at], f"{flags[at]}/{name}"
    memory, cpuacct = (root / c / parent / name for c in V1_ACCOUNTING)
    for folder in (memory, cpuacct):
        folder.mkdir()
        made.append(folder)
        (folder / "program").mkdir()
    limit = str(memory_mb * MIB)
    (memory / "program" / "memory.limit_in_bytes").write_text(limit)
    if (memory / "program" / "memory.memsw.limit_in_bytes").exists():
        (memory / "program" / "memory.memsw.limit_in_bytes").write_text(limit)
    fds = _open_all(
        [
            (memory / "program" / "cgroup.procs", os.O_WRONLY),
            (cpuacct / "program" / "cgroup.procs", os.O_WRONLY),
            (cpuacct / "program" / "cpuacct.usage", os.O_RDONLY),
            (memory / "program" / "memory.max_usage_in_bytes", os.O_RDWR),
            (memory / "program" / "memory.oom_control", os.O_RDONLY),
        ]
    )
    spec = {"procs": fds[:2], "cpu": fds[2], "cpu_unit": "ns", "peak": fds[3], "oom": fds[4]}
    return JailCgroups((memory, cpuacct), tuple(flags), tuple(fds), spec)


def _jail_v2(
    plan: CgroupPlan, name: str, memory_mb: int, pids: int, made: list[Path]
) -> JailCgroups:
    jail = plan.parent / name
    jail.mkdir()
    made.append(jail)
    (jail / "cgroup.subtree_control").write_text("+memory +pids")
    # The harness's cgroup (nsjail's) and the program's are siblings: both under this cap.
    (jail / "pids.max").write_text(str(pids))
    program = jail / "program"
    program.mkdir()
    (program / "memory.max").write_text(str(memory_mb * MIB))
    if (program / "memory.swap.max").exists():
        (program / "memory.swap.max").write_text("0")
    fds = _open_all(
        [
            (program / "cgroup.procs", os.O_WRONLY),
            (program / "cpu.stat", os.O_RDONLY),
            (program / "memory.events", os.O_RDONLY),
        ]
    )
    # memory.peak is reset per open file only from Linux 6.12; before, it is the cgroup's
    # lifetime peak, which would carry one submission's peak into the next: not read then.
    peak = _open_resettable(program / "memory.peak")
    if peak is not None:
        fds.append(peak)
    flags = ("--use_cgroupv2", "--cgroupv2_mount", str(jail))
    spec = {"procs": fds[:1], "cpu": fds[1], "cpu_unit": "stat", "peak": peak, "oom": fds[2]}
    return JailCgroups((jail,), flags, tuple(fds), spec)


def _open_all(files: list[tuple[Path, int]]) -> list[int]:
    fds: list[int] = []
    try:
        for path, mode in files:
            fds.append(os.open(path, mode | os.O_CLOEXEC))
    except OSError:
        for fd in fds:
            os.close(fd)
        raise
    return fds


def _open_resettable(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        os.write(fd, b"0")
    except OSError:
        os.close(fd)
        return None
    return fd
