# category: daemons
# attempts: leave behind a stopped child (SIGSTOP), an unreaped zombie and a stopped grandchild, none of which runs code that could notice a SIGTERM
# tests: daemon
# verdicts: wrong_answer / passed

import signal
import time

def stopped():
    os.kill(os.getpid(), signal.SIGSTOP)
    time.sleep(0.2)  # only if something continued it
    with open("/tmp/@MARKER@-alive", "w") as handle:
        handle.write("continued")
    time.sleep(3600)

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    stopped()
if os.fork() == 0:
    os._exit(0)  # a zombie: never waited for
if os.fork() == 0:
    if os.fork() == 0:
        stopped()
    os._exit(0)
time.sleep(0.1)
print(0)
