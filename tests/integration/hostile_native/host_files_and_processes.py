# attack: from PyPy (and libc through its ctypes), read the host's secrets and the harness's processes, signal PID 1 and the parent, change their priority, affinity and limits, change the program's own file, reach the host's listeners and the outside, and spawn a shell that tries the same
# tests: probe etc-shadow pid1-environ parent-mem code-main-write code-create kill-pid1 kill-parent-term priority-pid1-up affinity-pid1 affinity-parent prlimit-pid1 prlimit-parent tcp-host-loopback tcp-outside unix-abstract-host shell-etc-shadow shell-kill-pid1

import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time

# The process carries the run's marker in its arguments, for the host's leftover check.
sys.argv.append("@MARKER@")


def attempt(name, action, *errnos):
    """'<name> contained' when the action raised OSError (with one of `errnos`, when given)."""
    try:
        value = action()
    except OSError as exc:
        if not errnos or exc.errno in errnos:
            print(name, "contained")
            return
        value = "%s %s" % (errno.errorcode.get(exc.errno), exc)
    print(name, "ESCAPED", value)
    print(name, "ESCAPED", value, file=sys.stderr)


def read(path):
    with open(path, "rb") as handle:
        return len(handle.read())


def survives(pid, signum):
    os.kill(pid, signum)
    time.sleep(0.02)
    os.kill(pid, 0)
    raise OSError(errno.EPERM, "%d is still there" % pid)


# Calls PyPy's os module lacks, through libc: -1 becomes OSError.
libc = ctypes.CDLL(None, use_errno=True)


def libc_call(function, *args):
    if function(*args) == -1:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return 0


def one_cpu(pid):
    mask = ctypes.c_ulong(1)
    return libc_call(libc.sched_setaffinity, pid, ctypes.sizeof(mask), ctypes.byref(mask))


def lower_nofile(pid):
    limit = (ctypes.c_ulong * 2)(16, 16)
    return libc_call(libc.prlimit, pid, 7, ctypes.byref(limit), None)


def connect(family, address):
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        sock.connect(address)


def shell(script):
    done = subprocess.run(["/bin/sh", "-c", script, "@MARKER@"], capture_output=True)
    if done.returncode != 0:
        raise OSError(errno.EPERM, done.stderr.decode(errors="replace"))
    return done.stdout


parent = os.getppid()
attempt("etc-shadow", lambda: read("/etc/shadow"))
attempt("pid1-environ", lambda: read("/proc/1/environ"))
attempt("parent-mem", lambda: read("/proc/%d/mem" % parent))
attempt("code-main-write", lambda: open("/code/main", "a").write("x"))
attempt("code-create", lambda: open("/code/@MARKER@", "w"), errno.EROFS)
attempt("kill-pid1", lambda: survives(1, signal.SIGKILL), errno.EPERM)
attempt("kill-parent-term", lambda: survives(parent, signal.SIGTERM), errno.EPERM)
attempt("priority-pid1-up", lambda: os.setpriority(os.PRIO_PROCESS, 1, -5), errno.EACCES)
attempt("affinity-pid1", lambda: one_cpu(1), errno.EPERM)
attempt("affinity-parent", lambda: one_cpu(parent), errno.EPERM)
attempt("prlimit-pid1", lambda: lower_nofile(1), errno.EPERM)
attempt("prlimit-parent", lambda: lower_nofile(parent), errno.EPERM)
attempt("tcp-host-loopback", lambda: connect(socket.AF_INET, ("127.0.0.1", @TCP_PORT@)), errno.ECONNREFUSED)
attempt("tcp-outside", lambda: connect(socket.AF_INET, ("1.1.1.1", 53)), errno.ENETUNREACH)
attempt("unix-abstract-host", lambda: connect(socket.AF_UNIX, "\0@UNIX_NAME@"), errno.ECONNREFUSED)
attempt("shell-etc-shadow", lambda: shell("cat /etc/shadow"))
attempt("shell-kill-pid1", lambda: shell("kill -KILL 1; sleep 0.02; ! kill -0 1"))
