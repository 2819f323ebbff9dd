# category: daemons
# attempts: a child that ignores SIGTERM, SIGINT and SIGHUP, blocks every other signal it can and sleeps on
# tests: daemon
# verdicts: wrong_answer / passed

import signal
import time

def linger():
    time.sleep(0.2)
    while True:
        with open("/tmp/@MARKER@-alive", "w") as handle:
            handle.write("still here")
        time.sleep(0.05)

def check():
    time.sleep(0.4)
    try:
        os.kill(-1, 0)
    except ProcessLookupError:
        print("alone" if not os.path.exists("/tmp/@MARKER@-alive") else "a daemon ran on")
    else:
        print("another process is alive")

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
    linger()
print(0)
