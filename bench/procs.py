"""A local stack's processes, file descriptors, cgroups and files, read from /proc and /sys:
what the soak benchmark samples while the stack runs and looks for after it has stopped.

Every reader tolerates a process that exits while it is being read (it is simply left out).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from workers.judge.cgroups import detect_version

PROC = Path("/proc")
V1_CHECKED = (
    "memory",
    "pids",
    "cpu",
    "cpuacct",
)  # nsjail's v1 controllers and the program cgroups' cpuacct
KINDS = ("gateway", "supervisor", "workers", "jails", "redis")


@dataclass(frozen=True, slots=True)
class Proc:
    pid: int
    ppid: int
    start: int  # clock ticks after boot: with the pid, names one process for good
    name: str
    cmdline: str = ""
    rss_kb: int = 0
    threads: int = 0
    fds: int = 0


@dataclass(frozen=True, slots=True)
class Usage:
    """What the processes of one kind hold together."""

    processes: int
    rss_mb: float
    fds: int
    threads: int


def read_stat(pid: int) -> Proc | None:
    """pid, parent, start time and name, from /proc/<pid>/stat; None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return Proc(pid, int(fields[1]), int(fields[19]), name)  # fields 4 and 22 of proc(5)


def read_usage(proc: Proc) -> Proc:
    """`proc` with its memory, threads, open descriptors and command line filled in."""
    folder = PROC / str(proc.pid)
    rss = threads = fds = 0
    cmdline = ""
    with contextlib.suppress(OSError):
        for line in (folder / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
        fds = len(os.listdir(folder / "fd"))
        cmdline = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return Proc(proc.pid, proc.ppid, proc.start, proc.name, cmdline.strip(), rss, threads, fds)


def all_processes() -> dict[int, Proc]:
    table = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (proc := read_stat(int(entry.name))) is not None:
            table[proc.pid] = proc
    return table


def descendants(table: Mapping[int, Proc], root: int) -> list[Proc]:
    """`root` and every process below it in `table`."""
    children: dict[int, list[int]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(table[pid])
            todo.extend(children.get(pid, ()))
    return found


def stack_processes(*, gateway: int, supervisor: int, redis: int) -> dict[str, list[Proc]]:
    """The stack's processes by kind, usage read: the gateway, the worker supervisor, its
    worker processes, the jails below them (nsjail and all it runs), and Redis."""
    table = all_processes()
    kinds: dict[str, list[Proc]] = {kind: [] for kind in KINDS}
    kinds["gateway"] = descendants(table, gateway)
    kinds["redis"] = descendants(table, redis)
    for proc in descendants(table, supervisor):
        if proc.pid == supervisor:
            kinds["supervisor"].append(proc)
        elif proc.ppid == supervisor:
            kinds["workers"].append(proc)
    for worker in kinds["workers"]:
        for child in descendants(table, worker.pid):
            if child.pid != worker.pid:
                kinds["jails"].append(child)
    return {kind: [read_usage(p) for p in procs] for kind, procs in kinds.items()}


def usage(procs: Iterable[Proc]) -> Usage:
    listed = list(procs)
    return Usage(
        processes=len(listed),
        rss_mb=round(sum(p.rss_kb for p in listed) / 1024, 2),
        fds=sum(p.fds for p in listed),
        threads=sum(p.threads for p in listed),
    )


def survivors(seen: Mapping[int, int]) -> list[Proc]:
    """Processes from `seen` (pid -> start time) that still run."""
    alive = []
    for pid, start in seen.items():
        proc = read_stat(pid)
        if proc is not None and proc.start == start:
            alive.append(read_usage(proc))
    return alive


def marked(markers: Iterable[str]) -> list[Proc]:
    """Processes, other than this one, whose command line or cgroups name one of `markers`
    (the run's own folder, Redis address or cgroup parent)."""
    wanted = [m for m in markers if m]
    found = []
    for proc in all_processes().values():
        if proc.pid == os.getpid():
            continue
        full = read_usage(proc)
        try:
            cgroups = (PROC / str(proc.pid) / "cgroup").read_text()
        except OSError:
            continue
        if any(m in full.cmdline or m in cgroups for m in wanted):
            found.append(full)
    return found


def cgroup_parents(root: Path, parent: str) -> list[Path]:
    """The folders nsjail makes jail cgroups in, for this machine's cgroup version."""
    if detect_version(root) == 2:
        return [root / parent]
    return [root / controller / parent for controller in V1_CHECKED]


def cgroups_under(root: Path, parent: str) -> list[Path]:
    """Jail cgroups (child folders) left under `parent`."""
    return sorted(
        child
        for folder in cgroup_parents(root, parent)
        if folder.is_dir()
        for child in folder.iterdir()
        if child.is_dir()
    )


def remove_cgroup_parents(root: Path, parent: str) -> None:
    """Remove the (empty) parent folders a run made for itself; a busy one stays."""
    for folder in cgroup_parents(root, parent):
        with contextlib.suppress(OSError):
            folder.rmdir()


def files_under(folder: Path) -> list[Path]:
    """Everything left in `folder` (files and folders, recursively)."""
    return sorted(folder.rglob("*")) if folder.is_dir() else []


def own_fds() -> int:
    return len(os.listdir(PROC / "self" / "fd"))
