# category: threads
# attempts: keep trying to start threads after every refusal
# tests: bomb
# verdicts: runtime_error time_limit / passed
# limits: {"pids": 16, "time_s": 0.5, "wall_time_s": 1.5}

import threading
import time

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    try:
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    except RuntimeError:
        pass
