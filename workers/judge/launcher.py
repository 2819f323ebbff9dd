"""The launcher compiled programs' test processes start with (`inside/launch.c`), built once
per worker host and bound read-only into every run jail at `IN_JAIL`.

A fork of the harness costs a copy of its page tables and a page copied at every first
write, in the child and in the harness after it: some two milliseconds a test, more than a
trivial C++ program runs.  With the launcher the harness starts a compiled program's test
by posix_spawn (a vfork), and the launcher joins the program cgroup, sets the limits and
execs the program.  It is built from the repository's own source by the host's C compiler,
linked statically where the host has a static libc (the jail then needs no library for
it); where it cannot be built, the harness forks as before (slower, the same semantics).

Where the host's architecture allows (x86-64, arm64), the same source is also built as a
shared library, bound at `LIBRARY_IN_JAIL`, whose `crucible_spawn` the harness calls
instead: the same steps in a clone of the harness, with no exec of the launcher (an exec
costs some 60 microseconds of CPU here, a tenth of a trivial test).  Without it, the harness
starts the launcher by posix_spawn.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)
SOURCE = Path(__file__).resolve().parent / "inside" / "launch.c"
IN_JAIL = "/crucible-launch"
LIBRARY_IN_JAIL = "/crucible-launch.so"
COMPILER = "/usr/bin/gcc"
FLAGS = ("-O2", "-Wall", "-Wextra", "-Werror")
# Without libc where the source writes the system calls out (x86-64, arm64), else libc
# linked statically, else dynamically: the first that builds.
BUILDS = (
    (
        "-DCRUCIBLE_FREESTANDING", "-ffreestanding", "-fno-stack-protector", "-fno-builtin",
        "-fno-asynchronous-unwind-tables", "-nostdlib", "-static", "-fno-pie", "-no-pie",
    ),
    ("-static",),
    (),
)  # fmt: skip
# The shared library: only where the child's system calls are written out (no libc in it).
LIBRARY_BUILDS = (
    ("-DCRUCIBLE_LIBRARY", "-shared", "-fPIC", "-fno-stack-protector"),
)  # fmt: skip
BUILD_TIMEOUT_S = 60
LAUNCHER, LIBRARY = "launch", "launch.so"
# What each build is, and what the harness does where it does not build.
KINDS = {
    LAUNCHER: (BUILDS, 0o755, "compiled programs' tests start by fork"),
    LIBRARY: (LIBRARY_BUILDS, 0o644, "the harness starts the launcher by posix_spawn"),
}

_lock = threading.Lock()
_built: dict[tuple[Path, str], Path | None] = {}


def launcher(work_dir: Path) -> Path | None:
    """The launcher under `work_dir`, built now if no process has yet; None where this host
    cannot build it (no C compiler): the harness then forks each test's process itself."""
    return _once(work_dir, LAUNCHER)


def library(work_dir: Path) -> Path | None:
    """The launcher's shared library under `work_dir`, built now if no process has yet; None
    where this host cannot build it: the harness then starts the launcher itself."""
    return _once(work_dir, LIBRARY)


def _once(work_dir: Path, name: str) -> Path | None:
    with _lock:
        if (work_dir, name) not in _built:
            _built[work_dir, name] = _build(work_dir, name)
        return _built[work_dir, name]


def bind_flags(work_dir: Path) -> list[str]:
    """nsjail flags binding the launcher (and its library, where both built) read-only into
    a run jail; none without the launcher."""
    path = launcher(work_dir)
    if path is None:
        return []
    flags = ["--bindmount_ro", f"{path}:{IN_JAIL}"]
    shared = library(work_dir)
    return flags if shared is None else [*flags, "--bindmount_ro", f"{shared}:{LIBRARY_IN_JAIL}"]


def _build(work_dir: Path, name: str = LAUNCHER) -> Path | None:
    builds, mode, fallback = KINDS[name]
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source + repr((FLAGS, builds)).encode()).hexdigest()[:16]
    stem, dot, suffix = name.partition(".")
    target = work_dir / f"{stem}-{digest}{dot}{suffix}"
    if target.is_file():  # built by another worker process of this host (placed whole)
        return target
    if not Path(COMPILER).is_file():
        log.warning("no C compiler at %s: %s", COMPILER, fallback)
        return None
    work_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="launch-", dir=work_dir) as folder:
        built = Path(folder) / name
        for flags in builds:
            argv = [COMPILER, *FLAGS, *flags, "-o", str(built), str(SOURCE)]
            try:
                done = subprocess.run(
                    argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                log.warning("building %s failed: %s", name, exc)
                return None
            if done.returncode == 0:
                break
            log.info("building %s %s failed: %s", name, " ".join(flags), done.stderr[-500:])
        else:
            log.warning("%s does not build here: %s", name, fallback)
            return None
        # Atomic: a process of another worker reading `target` sees the whole file or none.
        staged = work_dir / f".{target.name}.{os.getpid()}"
        shutil.copyfile(built, staged)
        staged.chmod(mode)
        staged.replace(target)
    return target
