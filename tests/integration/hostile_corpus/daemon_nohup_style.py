# category: daemons
# attempts: what nohup and daemon(3) do: ignore SIGHUP, new session, umask 0, chdir /, standard descriptors on /dev/null
# tests: daemon
# verdicts: wrong_answer / passed

import signal
import time

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.setsid()
    os.umask(0)
    os.chdir("/")
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    linger()
print(0)
