# Issue 12, class 8: the CPU work is done by forked children that are never reaped (SIGCHLD
# ignored, so the kernel reaps them itself and no rusage ever reaches a parent), while the
# process the harness waits for only reads a pipe: about 2 CPU-seconds against time_s 1.
import os, signal, time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
n = int(input())
r, w = os.pipe()
for _ in range(4):
    if os.fork() == 0:
        os.close(r)
        end = time.process_time() + 0.5
        while time.process_time() < end:
            pass
        os.write(w, b"x")
        os._exit(0)
os.close(w)
while os.read(r, 1):
    pass
print(n * 2)
