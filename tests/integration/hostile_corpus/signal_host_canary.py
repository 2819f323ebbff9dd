# category: signals
# attempts: kill a host process that runs as the jails' own outside uid, by pid, by process group, through a pidfd and with sigqueue
# tests: probe kill-canary killpg-canary pidfd-canary sigqueue-canary
# verdicts: passed / wrong_answer

import signal

canary = @CANARY_PID@
attempt("kill-canary", lambda: os.kill(canary, signal.SIGKILL), errno.ESRCH)
attempt("killpg-canary", lambda: os.killpg(canary, signal.SIGKILL), errno.ESRCH)
attempt("pidfd-canary", lambda: os.pidfd_open(canary), errno.ESRCH)
attempt("sigqueue-canary", lambda: call(libc.sigqueue, canary, signal.SIGKILL, 0), errno.ESRCH)
