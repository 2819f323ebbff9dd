# category: cpu
# attempts: spend about 2 CPU-seconds in four forked children that are never reaped (SIGCHLD ignored: the kernel reaps them and no parent's rusage counts them) while the waited-for process only reads a pipe
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 1, "wall_time_s": 6}

import signal
import time

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
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
print(0)
