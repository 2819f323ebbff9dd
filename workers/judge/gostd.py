"""Go's standard library, compiled once per machine and Go build, for the compile jail.

Go >= 1.20 ships no compiled standard library and `go build` needs a writable build cache,
so a fresh cache per submission would compile the standard library again for every program
(many seconds).  Instead each package of `std` is compiled once (`go list -export`, CGO off
as the programs are built, with a private cache thrown away after), copied into a folder
with an importcfg naming each archive where the compile jail binds that folder read-only
(`GO_STD`), and a submission's build is Go's compiler and linker alone (`languages.py`).
The folder is named after the Go build that made it, so an upgraded Go never links against
another's archives, and whichever process needs it first (the image build, a worker's
start, a language probe) makes it under a lock and renames it into place whole.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workers.judge.errors import SandboxUnavailable
from workers.judge.languages import GO_STD, GO_TOOLS, REAL_PATHS
from workers.judge.settings import JudgeSettings, judge_settings

log = logging.getLogger(__name__)
# Compiling the whole standard library (Go >= 1.20) takes far longer than one program's
# build: a generous limit, and a process waiting for another's lock waits as long and more.
PREPARE_TIMEOUT_S = 900.0
LOCK_WAIT_S = PREPARE_TIMEOUT_S + 60.0
LOCK_POLL_S = 0.2
LIST_FORMAT = "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}"
# A standard package's path: segments that never start with a dot (no `..`, no `.`).
_IMPORT_PATH = re.compile(r"[\w+-][\w.+-]*(?:/[\w+-][\w.+-]*)*", re.ASCII)
# What the Go build is named by: its command, compiler and linker, and its VERSION file.
_IDENTITY = ("go", "gocompile", "golink")


def go_build() -> str:
    """The Go build installed here, as a folder name: its version and a digest of where its
    tools are, their sizes and modification times (a reinstalled Go gets a new folder)."""
    goroot = GO_TOOLS.parents[2]
    parts = [str(goroot)]
    for path in [*(Path(REAL_PATHS[name]) for name in _IDENTITY), goroot / "VERSION"]:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path}: missing")
            continue
        parts.append(f"{path}: {stat.st_size} {stat.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{_version(goroot)}-{digest}"


def _version(goroot: Path) -> str:
    """The version Go's root names in its VERSION file (`go1.19.8`), or `go`."""
    try:
        first = (goroot / "VERSION").read_text().split()[0]
    except (OSError, IndexError):
        return "go"
    return first if re.fullmatch(r"go[0-9A-Za-z.+-]+", first) else "go"


def std_root(settings: JudgeSettings) -> Path:
    return settings.go_std_dir or settings.work_dir / "go"


def go_std(settings: JudgeSettings) -> Path:
    """The folder of the Go installed here, made first if missing: `importcfg` and `pkg/`.
    SandboxUnavailable when Go is missing or cannot make it: our fault, never a program's."""
    root = std_root(settings)
    folder = root / go_build()
    if (folder / "importcfg").is_file():
        return folder
    if not Path(REAL_PATHS["go"]).is_file():
        raise SandboxUnavailable("Go is not installed on this worker (Debian's golang-go)")
    try:
        if settings.go_std_dir is None:  # under the work folder, which nobody else may list
            settings.work_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
        root.mkdir(mode=0o755, parents=True, exist_ok=True)
        with _locked(root / ".lock"):
            if not (folder / "importcfg").is_file():
                started = time.monotonic()
                _prepare(folder)
                log.info("Go's standard library compiled in %.1f s", time.monotonic() - started)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise SandboxUnavailable(f"Go's standard library could not be compiled: {exc}") from exc
    return folder


def prepare_at_start(settings: JudgeSettings) -> None:
    """A worker's start: the folder made now, so that no job waits for it.  Without Go, or
    when it cannot be made, the worker starts all the same: Go's probe then answers every Go
    submission with sandbox_unavailable, and the other languages work."""
    if not Path(REAL_PATHS["go"]).is_file():
        return
    try:
        go_std(settings)
    except SandboxUnavailable as exc:
        log.warning("%s", exc.message)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (released by the kernel if this process dies)."""
    with path.open("a") as handle:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} stayed locked for {LOCK_WAIT_S:g} s") from None
                time.sleep(LOCK_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prepare(folder: Path) -> None:
    """Compile the standard library into a staging folder beside `folder`, then rename it
    into place; what a killed attempt left behind goes first (the caller holds the lock)."""
    for stale in folder.parent.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        made = staging / "std"
        lines = []
        for import_path, export in _exports(staging):
            archive = made / "pkg" / f"{import_path}.a"
            archive.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(export, archive)
            archive.chmod(0o444)
            lines.append(f"packagefile {import_path}={GO_STD}/pkg/{import_path}.a\n")
        if not any(line.startswith("packagefile runtime=") for line in lines):
            raise ValueError("go list named no archive for package runtime")
        (made / "importcfg").write_text("".join(lines))
        (made / "importcfg").chmod(0o444)
        for place in [made, *(p for p in made.rglob("*") if p.is_dir())]:
            place.chmod(0o755)
        made.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _exports(staging: Path) -> list[tuple[str, Path]]:
    """Each standard package and its compiled archive, built by `go list -export` with a
    private cache and nothing of this process's environment (no GOFLAGS, no toolchain
    switch, no network)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(staging),
        "GOCACHE": str(staging / "cache"),
        "GOPATH": str(staging / "gopath"),
        "GOENV": "off",
        "GOFLAGS": "",
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOWORK": "off",
        "CGO_ENABLED": "0",
        "LANG": "C.UTF-8",
    }
    argv = [REAL_PATHS["go"], "list", "-export", "-deps", "-f", LIST_FORMAT, "std"]
    done = subprocess.run(
        argv,
        cwd=staging,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PREPARE_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise ValueError(f"go list exited {done.returncode}: {done.stderr[-500:]}")
    found = []
    for line in done.stdout.splitlines():
        if not line:
            continue
        import_path, _, export = line.partition("=")
        if not _IMPORT_PATH.fullmatch(import_path):
            raise ValueError(f"go list named an unexpected package: {line[:200]!r}")
        found.append((import_path, Path(export)))
    return found


def main() -> int:
    """`python -m workers.judge.gostd`: make the folder now (the worker image does, at its
    build) and print where it is."""
    logging.basicConfig(level=logging.INFO)
    try:
        print(go_std(judge_settings()))
    except SandboxUnavailable as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
