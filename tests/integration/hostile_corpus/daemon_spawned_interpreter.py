# category: daemons
# attempts: posix_spawn a new interpreter in a session of its own (setsid), which execs and so loses the program's process name
# tests: daemon
# verdicts: wrong_answer / passed

import time

LINGER = """
import sys, time
time.sleep(0.2)
while True:
    with open(sys.argv[1], "w") as handle:
        handle.write("still here")
    time.sleep(0.05)
"""

if input() == "check":
    check()
    sys.exit(0)
argv = [sys.executable, "-c", LINGER, "/tmp/@MARKER@-alive"]
os.posix_spawn(sys.executable, argv, os.environ, setsid=True)
print(0)
