"""The program's folder (its working directory, the submission's fresh /tmp): files placed
there before a /run_code program runs, and files fetched from there after it ran.

Run by the submission's process, which is the only process of the jail left once the
program's test is over (every other one was killed), so nothing moves a file while it is
read.  Paths are walked one part at a time from the folder's descriptor, never following a
symbolic link (O_NOFOLLOW on every part), so whatever links the program planted, only a
regular file inside the folder is ever read.  Names and contents travel in descriptors the
worker made (`workers/judge/runfiles.py`): a manifest, the contents to place, and the memfd that
fetched contents are copied into, which the worker reads back with its own bounds.  Stdlib
only.
"""

import json
import os
import stat

try:
    from . import protocol  # imported as workers.judge.inside.folder (the host's unit tests)
except ImportError:
    import protocol  # in the jail, where this is the top-level module `folder`

CHUNK = 1 << 20
WALK = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# Non-blocking: a FIFO the program left opens at once (and is then refused as not regular).
READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def place(fds):
    """fds: the manifest ([[path, size], ...], sealed JSON) and the contents, one after
    another in that order.  Each file is made new (never over anything) with its folders."""
    manifest, contents = fds
    offset = 0
    try:
        for path, size in json.loads(_read_all(manifest)):
            _write(path, contents, offset, size)
            offset += size
    except (OSError, ValueError) as exc:
        return {"event": protocol.PLACED, "error": f"{type(exc).__name__}: {exc}"}
    return {"event": protocol.PLACED}


def fetch(fds, limit):
    """fds: the manifest (paths, sealed JSON) and a memfd that takes the contents.  Each
    regular file found is copied in, after the one before; one that would take the total
    over `limit` bytes is left out.  The record lists [index, offset, size] of each copied
    file and the indexes of those left out; a path that is missing, a link, a folder or
    anything else that is not a regular file is neither."""
    manifest, out = fds
    copied, left_out, total = [], [], 0
    for index, path in enumerate(json.loads(_read_all(manifest))):
        try:
            source = _open(path)
        except (OSError, ValueError):
            continue
        try:
            if not stat.S_ISREG(os.fstat(source).st_mode):
                continue
            size = _copy(source, out, total, limit - total)
        except OSError:
            continue
        finally:
            os.close(source)
        if size is None:
            left_out.append(index)
        else:
            copied.append([index, total, size])
            total += size
    return {"event": protocol.FETCHED, "files": copied, "left_out": left_out}


def _parts(path):
    """The parts of a normal relative path; ValueError for anything else (the worker sends
    only normal ones: this is the last check, in the jail)."""
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") or "\0" in p for p in parts):
        raise ValueError(f"not a normal relative path: {path[:100]!r}")
    return parts


def _open(path):
    """A read descriptor of `path` below the working folder, no link followed."""
    *folders, name = _parts(path)
    folder = os.open(".", WALK)
    try:
        for part in folders:
            inner = os.open(part, WALK, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(name, READ, dir_fd=folder)
    finally:
        os.close(folder)


def _write(path, contents, offset, size):
    *folders, name = _parts(path)
    folder = os.open(".", WALK)
    try:
        for part in folders:
            try:
                os.mkdir(part, 0o755, dir_fd=folder)
            except FileExistsError:
                pass
            inner = os.open(part, WALK, dir_fd=folder)
            os.close(folder)
            folder = inner
        target = os.open(name, CREATE, 0o644, dir_fd=folder)
    finally:
        os.close(folder)
    try:
        end = offset + size
        while offset < end:
            chunk = os.pread(contents, min(CHUNK, end - offset), offset)
            if not chunk:
                raise ValueError("the contents end early")
            _write_all(target, chunk)
            offset += len(chunk)
    finally:
        os.close(target)


def _copy(source, out, at, room):
    """Copy `source` into `out` at offset `at`; its size, or None when it is over `room`
    bytes (what was copied of it then counts for nothing: the next file goes over it)."""
    copied = 0
    while chunk := os.read(source, min(CHUNK, room - copied + 1)):
        if copied + len(chunk) > room:
            return None
        view = memoryview(chunk)
        while view:
            written = os.pwrite(out, view, at + copied)
            view = view[written:]
            copied += written
    return copied


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd):
    chunks, offset = [], 0
    while chunk := os.pread(fd, CHUNK, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def remove_under(root):
    """Remove everything under `root`, whatever modes a program (or a checker) left on the
    folders there: each made searchable and writable by its owner first, links removed as
    links.  `root` itself stays."""
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                os.unlink(path)
            else:
                os.rmdir(path)
