# category: signals
# attempts: in an assert test, SIGKILL the test's process from inside the call, so the test never reports a failure
# tests: secret-assert
# verdicts: runtime_error / runtime_error

import signal

def solve(i):
    me = os.getpid()
    for pid in range(2, 256):
        if pid != me:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return 0
