# category: daemons
# attempts: a child that ignores SIGTERM, SIGINT and SIGHUP, blocks every other signal it can and sleeps on
# tests: daemon
# verdicts: wrong_answer / passed

import signal
import time

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
    linger()
print(0)
