# category: proc-secrets
# attempts: from inside a call in an assert test, reach the test's own process (which holds the test's code, its answers and the completion token) through the jail's /proc: its fd 6 (the test), result descriptor, memory, environment and maps, found by pid
# tests: probe-assert listed tester-test-fd tester-result-fd tester-mem tester-maps tester-environ
# verdicts: passed / wrong_answer

import contextlib
import io

def others():
    """Every other process of the jail, found by signal 0, not through /proc."""
    me, found = os.getpid(), []
    for pid in range(max(2, me - 512), me + 512):
        if pid != me:
            try:
                os.kill(pid, 0)
                found.append(pid)
            except OSError:
                pass
    return found

def read(path):
    with open(path, "rb") as handle:
        return handle.read(64)

def probe():
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        testers = others()
        if not testers:
            print("no test process to aim at: this probe proves nothing")
        tester = testers[-1] if testers else 1
        listed = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]
        attempt("listed", lambda: (_ for _ in ()).throw(OSError(errno.ENOENT, "")) if not listed else None, errno.ENOENT)
        attempt("tester-test-fd", lambda: read(f"/proc/{tester}/fd/6"), errno.ENOENT)
        attempt("tester-result-fd", lambda: read(f"/proc/{tester}/fd/3"), errno.ENOENT)
        attempt("tester-mem", lambda: read(f"/proc/{tester}/mem"), errno.ENOENT)
        attempt("tester-maps", lambda: read(f"/proc/{tester}/maps"), errno.ENOENT)
        attempt("tester-environ", lambda: read(f"/proc/{tester}/environ"), errno.ENOENT)
    return report.getvalue()

def solve(i):
    return 0
