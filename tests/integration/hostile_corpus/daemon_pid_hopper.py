# category: daemons
# attempts: a daemon that forks a successor and exits every few milliseconds, so its pid never stays the same long enough to be killed by number
# tests: daemon
# verdicts: wrong_answer / passed

import time

def hop():
    started = time.monotonic()
    while True:
        if os.fork() != 0:
            os._exit(0)
        if time.monotonic() - started > 0.2:
            with open("/tmp/@MARKER@-alive", "w") as handle:
                handle.write("still here")
        time.sleep(0.002)

if input() == "check":
    check()
    sys.exit(0)
if os.fork() == 0:
    hop()
print(0)
