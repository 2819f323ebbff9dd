# category: cpu
# attempts: block every signal and sleep without using CPU, so no CPU limit ever fires
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 0.5, "wall_time_s": 1.5}

import select
import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
select.select([], [], [], 3600)
print(0)
