# category: cpu
# attempts: spin forever with SIGXCPU ignored, so only the hard CPU limit or the wall clock can end it
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 0.5, "wall_time_s": 1.5}

import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
while True:
    pass
