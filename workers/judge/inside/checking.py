"""A checker's runs in a jail of its own (setup kind `check`): the part inside the jail.

The worker attaches seven descriptors to each run, placed at the checker's fds 0..6 in the
order of FDS (a communication task's manager gets its pipes after them, `pipe_fds`): the
program's output again as stdin (where a Kattis validator reads it), the checker's stdout
and stderr, the test's input, the program's output and the expected answer, and an empty
one for the feedback.  The checker's argv names the three files as PATHS (/dev/fd/3,
/dev/fd/4, /dev/fd/5), so it opens each afresh, as a file, from its start.  A Kattis
validator's feedback folder is FEEDBACK, made empty before each run; what it leaves in
judgemessage.txt goes back in the feedback descriptor.  The worker imports this module for
these names; the harness, for the rest.

Only the checker runs in this jail: the program's output reaches it as data, and the
program never reaches this jail.  The expected answer never reaches the program's.
"""

import os
import stat

try:
    from . import folder  # imported as workers.judge.inside.checking (the host's unit tests)
except ImportError:
    import folder  # in the jail, where this is the top-level module `checking`

FDS = ("stdin", "stdout", "stderr", "input", "output", "answer", "feedback")
PATHS = {name: f"/dev/fd/{FDS.index(name)}" for name in ("input", "output", "answer")}


def pipe_fds(processes: int) -> list[tuple[int, int]]:
    """A communication task's manager also gets, after FDS, two pipe ends per run of the
    program, in the order its argv names them (CMS's): the one it reads from run i, then
    the one it writes to run i.  Their numbers, as (read, write) pairs.  (Its stdin is the
    test's input, and its stdout, where it prints its score, a file.)"""
    return [(len(FDS) + 2 * i, len(FDS) + 2 * i + 1) for i in range(processes)]


FEEDBACK = "/tmp/feedback"
MESSAGE = "judgemessage.txt"
MESSAGE_BYTES = 1 << 16
# Where the three files are copied in a jail without /proc (so without /dev/fd).
PROC_FD = "/proc/self/fd"
COPIES = "/tmp/check"


def direct():
    """Whether the checker can open its files by /dev/fd (the jail has /proc): then the
    harness may start it without a fork of its own, the feedback folder made first."""
    return os.path.isdir(PROC_FD)


def prepare_folder():
    os.mkdir(FEEDBACK, 0o700)


def prepare(argv):
    """In the run's child, before the exec: an empty feedback folder, and the argv to
    exec.  Where the jail has no /proc (a runtime that refuses to mount one), /dev/fd names
    nothing: the files are copied under COPIES, and argv names the copies."""
    prepare_folder()
    if direct():
        return argv
    os.mkdir(COPIES, 0o700)
    copies = {}
    for name, path in PATHS.items():
        copies[path] = f"{COPIES}/{name}"
        _copy(FDS.index(name), copies[path])
    return [copies.get(arg, arg) for arg in argv]


def finish(feedback):
    """In the submission's process, once every process of the run is gone: the first
    MESSAGE_BYTES of judgemessage.txt into the worker's `feedback` descriptor, and the
    run's folders removed."""
    try:
        fd = os.open(f"{FEEDBACK}/{MESSAGE}", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        fd = None
    if fd is not None:
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                _write_all(feedback, os.pread(fd, MESSAGE_BYTES, 0))
        finally:
            os.close(fd)
    for root in (FEEDBACK, COPIES):
        _remove(root)


def _copy(fd, path):
    out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    try:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            _write_all(out, chunk)
            offset += len(chunk)
    finally:
        os.close(out)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _remove(root):
    """Remove `root` and all under it, whatever modes the checker left there (it runs as
    the jail's one user, who owns it all).  A failure is left for the next run's `prepare`,
    which then fails as ours."""
    if not os.path.isdir(root) or os.path.islink(root):
        return
    try:
        os.chmod(root, 0o700)
        folder.remove_under(root)
        os.rmdir(root)
    except OSError:
        pass
