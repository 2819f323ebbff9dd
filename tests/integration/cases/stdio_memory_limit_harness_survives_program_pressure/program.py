# Issue 12, class 11: the harness holds a large heap (the test set's prelude); the program
# spreads memory just under its limit over fresh small processes, so that at the jail's limit
# the OOM killer's largest process is the harness, and the program's 0 became "no reward".
import os, subprocess, sys

n = int(input())
child = "b = bytearray(100 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nimport time; time.sleep(3)"
procs = [subprocess.Popen([sys.executable, "-c", child]) for _ in range(5)]
for p in procs:
    p.wait()
print(n * 2)
