"""The launcher compiled programs' test processes start with (`inside/launch.c`), built once
per worker host and bound read-only into every run jail at `IN_JAIL`.

A fork of the harness costs a copy of its page tables and a page copied at every first
write, in the child and in the harness after it: some two milliseconds a test, more than a
trivial C++ program runs.  With the launcher the harness starts a compiled program's test
by posix_spawn (a vfork), and the launcher joins the program cgroup, sets the limits and
execs the program.  It is built from the repository's own source by the host's C compiler,
linked statically where the host has a static libc (the jail then needs no library for
it); where it cannot be built, the harness forks as before (slower, the same semantics).
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
BUILD_TIMEOUT_S = 60

_lock = threading.Lock()
_built: dict[Path, Path | None] = {}


def launcher(work_dir: Path) -> Path | None:
    """The launcher under `work_dir`, built now if no process has yet; None where this host
    cannot build it (no C compiler): the harness then forks each test's process itself."""
    with _lock:
        if work_dir not in _built:
            _built[work_dir] = _build(work_dir)
        return _built[work_dir]


def bind_flags(work_dir: Path) -> list[str]:
    """nsjail flags binding the launcher read-only into a run jail; none without one."""
    path = launcher(work_dir)
    return [] if path is None else ["--bindmount_ro", f"{path}:{IN_JAIL}"]


def _build(work_dir: Path) -> Path | None:
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source + repr((FLAGS, BUILDS)).encode()).hexdigest()[:16]
    target = work_dir / f"launch-{digest}"
    if target.is_file() and os.access(target, os.X_OK):
        return target  # built by another worker process of this host
    if not Path(COMPILER).is_file():
        log.warning("no C compiler at %s: compiled programs' tests start by fork", COMPILER)
        return None
    work_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="launch-", dir=work_dir) as folder:
        built = Path(folder) / "launch"
        for flags in BUILDS:
            argv = [COMPILER, *FLAGS, *flags, "-o", str(built), str(SOURCE)]
            try:
                done = subprocess.run(
                    argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                log.warning("building the launcher failed: %s", exc)
                return None
            if done.returncode == 0:
                break
            log.info("building the launcher %s failed: %s", " ".join(flags), done.stderr[-500:])
        else:
            log.warning("the launcher does not build here: compiled programs' tests start by fork")
            return None
        built.chmod(0o755)
        # Atomic: a process of another worker reading `target` sees the whole file or none.
        staged = work_dir / f".{target.name}.{os.getpid()}"
        shutil.copyfile(built, staged)
        staged.chmod(0o755)
        staged.replace(target)
    return target
