# category: cpu
# attempts: leave the spinning to three children in sessions of their own while the parent only waits, so the parent's own CPU time stays near zero
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 0.5, "wall_time_s": 1.5}

import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
for _ in range(3):
    if os.fork() == 0:
        os.setsid()
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
        while True:
            pass
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print(0)
