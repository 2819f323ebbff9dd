"""A jail's keeper: before each submission, fresh scratch mounts and the PID counter rewound.

Run by the worker (`workers/judge/jail.py`) as `python -I -S keeper.py [--last-pid-fd=N] <harness
pid> <mounts>`,
as root on the host, once per jail.  It joins the jail's user, mount and PID namespaces
(as the namespaces' owner it holds every capability there, and nothing outside), and its
one child, inside the jail's PID namespace, waits on stdin.  For each line it

- mounts a fresh tmpfs over each scratch folder (`/tmp`, `/dev/shm`), detaching the last
  one: a new file system has no files, times, extended attributes or ACLs of an earlier
  submission, and its inode numbers start again from the first;
- sets the namespace's last PID back to the keeper's own, so the next process the harness
  forks gets the same PID as for every earlier submission;

and answers `ok`, or `error: ...`.  Without it, a program could still read what an earlier
submission left in those counters (how many processes and files it made) and so take a
message from it (issue 12).  Where /proc/sys cannot be written (a container without
CAP_SYS_ADMIN), the PID counter cannot be set: it answers `ok without-pids` and only mounts.
Standard library only: it runs before any import is cheap.
"""

import ctypes
import errno
import os
import sys

MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
LAST_PID = "/proc/sys/kernel/ns_last_pid"


def main() -> int:
    args = sys.argv[1:]
    given = None
    if args and args[0].startswith("--last-pid-fd="):
        given = int(args.pop(0).partition("=")[2])
    harness = int(args[0])
    # folder=options pairs, as the jail's profile mounts them
    mounts = [arg.split("=", 1) for arg in args[1:]]
    libc = ctypes.CDLL(None, use_errno=True)
    # Opened here, as host root, before the namespaces change (or by the container's
    # entrypoint, `deploy/docker/worker-entrypoint.sh`): a write to it sets the last PID of
    # the writer's own PID namespace, which the child's will be.
    last_pid = given if given is not None else _open_last_pid(libc)
    spaces = {
        kind: os.open(f"/proc/{harness}/ns/{kind}", os.O_RDONLY) for kind in ("user", "mnt", "pid")
    }
    os.setns(spaces["user"], os.CLONE_NEWUSER)
    os.setns(spaces["mnt"], os.CLONE_NEWNS)  # the jail's root and working folder too
    os.setns(spaces["pid"], os.CLONE_NEWPID)  # for the child only
    for fd in spaces.values():
        os.close(fd)
    child = os.fork()
    if child:
        if last_pid is not None:
            os.close(last_pid)
        _, status = os.waitpid(child, 0)
        return os.waitstatus_to_exitcode(status)
    me = os.getpid()  # in the jail's namespace
    for line in sys.stdin:
        try:
            for folder, options in mounts:
                _remount(libc, folder, options)
            if last_pid is not None:
                os.pwrite(last_pid, str(me).encode(), 0)  # at 0: a later offset is ignored
        except OSError as exc:
            print(f"error: {exc}", flush=True)
        else:
            print("ok" if last_pid is not None else "ok without-pids", flush=True)
        if line.strip() == "exit":
            break
    return 0


def _open_last_pid(libc: ctypes.CDLL) -> int | None:
    """/proc/sys/kernel/ns_last_pid for writing, or None where it cannot be.

    A container that is not privileged has /proc/sys bound read-only over itself; with
    CAP_SYS_ADMIN the keeper makes it writable in a mount namespace of its own (a private
    copy, which it leaves for the jail's next), never in the worker's."""
    try:
        return os.open(LAST_PID, os.O_WRONLY)
    except OSError as exc:
        if exc.errno != errno.EROFS:
            return None
    try:
        os.unshare(os.CLONE_NEWNS)
    except OSError:
        return None
    private = libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0
    if not private or libc.mount(None, b"/proc/sys", None, MS_REMOUNT | MS_BIND, None) != 0:
        return None
    try:
        return os.open(LAST_PID, os.O_WRONLY)
    except OSError:
        return None


def _remount(libc: ctypes.CDLL, folder: str, options: str) -> None:
    target = folder.encode()
    if libc.umount2(target, MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), f"umount {folder}")
    flags = MS_NOSUID | MS_NODEV
    if libc.mount(b"tmpfs", target, b"tmpfs", flags, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"mount tmpfs on {folder}")


if __name__ == "__main__":
    sys.exit(main())
