# category: daemons
# attempts: the classic daemon: fork, setsid, fork again and let the first child exit, so the daemon is an orphan in a session of its own
# tests: daemon
# verdicts: wrong_answer / passed

import time

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        linger()
    os._exit(0)
os.wait()
print(0)
