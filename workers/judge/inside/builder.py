"""The warm compile jail's server: one build after another, each as fresh as in a new jail.

Runs as PID 1 of a compile jail (`sandbox_profiles/compile.cfg`, started by
`workers/judge/buildjail.py`) under the system interpreter, stdlib only.  Requests arrive on
fd 0 and answers leave on fd 1, one JSON line each:

- `{"op": "build", "argv": [...], "time_s": T, "output_bytes": N}`: run `argv` in /build
  with stdin from /dev/null and stdout and stderr into one fresh memfd; at most `T` seconds
  of wall time.  Then every process of the jail is killed and reaped, whatever the
  compiler left running, before the answer (`code`: the exit status, 128 + the signal when
  killed; `timed_out`; `output`: the last `N` bytes it wrote, base64), so nothing changes
  the build folder after the worker reads it; `exec_failed` instead when the compiler could
  not be started at all (the worker's fault, not the program's);
- `{"op": "clean"}`: every process killed again, then /build and /tmp emptied (a folder the
  compiler made unreadable is made readable first); `{"clean": true}` when both are empty.

The server and the compiler share the jail's uid, so the server protects itself: it is not
dumpable (no /proc/1/mem, no /proc/1/fd for the compiler), it ignores SIGINT, which a process
of its namespace may send PID 1 (the kernel drops every signal it has no handler for), and
the compiler's processes are the OOM killer's first choice (`oom_score_adj` 1000, which
needs no privilege to raise).  A compiler runs no code of the submission's, so the folders'
contents are all a build could pass to the next: both are emptied, and the worker checks
/build itself.
"""

import base64
import ctypes
import json
import os
import select
import signal
import stat
import sys

PR_SET_DUMPABLE = 4
FOLDERS = ("/build", "/tmp")


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    answer({"ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request["op"]
            if op == "build":
                answer(build(request["argv"], request["time_s"], request["output_bytes"]))
            elif op == "clean":
                kill_all()
                answer({"clean": all(empty(folder) for folder in FOLDERS)})
            else:
                answer({"error": f"unknown op {op!r}"})
        except (ValueError, KeyError, TypeError, OSError) as exc:
            answer({"error": f"{type(exc).__name__}: {exc}"})
    return 0


def answer(record: dict) -> None:
    sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def build(argv: list, time_s: float, output_bytes: int) -> dict:
    if not argv or not all(isinstance(part, str) for part in argv):
        raise ValueError("argv must be a list of strings")
    output = os.memfd_create("output", os.MFD_CLOEXEC)
    told, tell = os.pipe2(os.O_CLOEXEC)  # says why the exec failed; closed by a good one
    try:
        child = os.fork()
        if child == 0:  # pragma: no cover - replaced by the compiler
            _exec(argv, output, tell)
        os.close(tell)
        tell = -1
        pidfd = os.pidfd_open(child)
        try:
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            timed_out = not poller.poll(max(0, int(time_s * 1000)))
        finally:
            os.close(pidfd)
        if timed_out:
            _kill_others()
        _, status = os.waitpid(child, 0)
        kill_all()
        code = os.waitstatus_to_exitcode(status)
        size = os.fstat(output).st_size
        tail = os.pread(output, output_bytes, max(0, size - output_bytes))
        failed = os.read(told, 4096)
    finally:
        for fd in (output, told, tell):
            if fd >= 0:
                os.close(fd)
    if failed:
        return {"exec_failed": failed.decode("utf-8", "replace")}
    return {
        "code": 128 - code if code < 0 else code,
        "timed_out": timed_out,
        "output": base64.b64encode(tail).decode("ascii"),
    }


def _exec(argv: list, output: int, tell: int) -> None:
    """In the forked child: the compiler's stdio, default signals, first to be OOM-killed."""
    try:
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        for number in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(number, signal.SIG_DFL)
        try:
            with open("/proc/self/oom_score_adj", "w") as adj:
                adj.write("1000")
        except OSError:
            pass
        os.execve(argv[0], argv, dict(os.environ))
    except BaseException as exc:
        os.write(tell, f"cannot run {argv[0]}: {exc}".encode())
    os._exit(127)


def kill_all() -> None:
    """Kill every other process of the jail (as its PID 1) and reap them all."""
    _kill_others()
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _kill_others() -> None:
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


def empty(folder: str) -> bool:
    """Remove everything in `folder`; whether it is empty after."""
    for entry in os.listdir(folder):
        _remove(os.path.join(folder, entry))
    return not os.listdir(folder)


def _remove(path: str) -> None:
    try:
        mode = os.lstat(path).st_mode
        if not stat.S_ISDIR(mode):
            os.unlink(path)
            return
        os.chmod(path, 0o700)  # a folder its maker closed to itself
        for entry in os.listdir(path):
            _remove(os.path.join(path, entry))
        os.rmdir(path)
    except FileNotFoundError:
        pass


if __name__ == "__main__":
    sys.exit(main())
