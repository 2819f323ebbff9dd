# category: daemons
# attempts: the classic daemon: fork, setsid, fork again and let the first child exit, so the daemon is an orphan in a session of its own
# tests: daemon
# verdicts: wrong_answer / passed

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
    os.setsid()
    if os.fork() == 0:
        linger()
    os._exit(0)
os.wait()
print(0)
