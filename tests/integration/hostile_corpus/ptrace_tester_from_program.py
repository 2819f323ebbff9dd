# category: ptrace
# attempts: from inside a call in an assert test, reach the test's own process (which holds the completion channel): PTRACE_SEIZE, reading its memory, stealing its result and reply descriptors
# tests: probe-assert seize-tester vm-readv-tester steal-tester-result steal-tester-requests
# verdicts: passed / wrong_answer

import contextlib
import io

class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("size", ctypes.c_size_t)]

PTRACE_SEIZE, PIDFD_GETFD = 0x4206, 438

def others():
    me, found = os.getpid(), []
    # Around its own pid: a warm jail's pid counter has moved on with every earlier test.
    for pid in range(max(2, me - 512), me + 512):
        if pid != me:
            try:
                os.kill(pid, 0)
                found.append(pid)
            except OSError:
                pass
    return found

def probe():
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        testers = others()
        if not testers:
            print("no test process to aim at: this probe proves nothing")
        tester = testers[0] if testers else 1
        buffer = ctypes.create_string_buffer(64)
        vector = Iovec(ctypes.cast(buffer, ctypes.c_void_p), 64)
        readv = lambda: call(libc.process_vm_readv, tester, ctypes.byref(vector), 1, ctypes.byref(vector), 1, 0)
        attempt("seize-tester", lambda: call(libc.ptrace, PTRACE_SEIZE, tester, None, None), errno.EPERM)
        attempt("vm-readv-tester", readv, errno.EPERM)
        pidfd = os.pidfd_open(tester)
        attempt("steal-tester-result", lambda: syscall(PIDFD_GETFD, pidfd, 3, 0), errno.EPERM)
        attempt("steal-tester-requests", lambda: syscall(PIDFD_GETFD, pidfd, 5, 0), errno.EPERM)
    return report.getvalue()

def solve(i):
    return 0
