# category: cpu
# attempts: four threads and the main thread spinning together
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 0.5, "wall_time_s": 1.5}

import threading

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)

def spin():
    while True:
        pass

for _ in range(4):
    threading.Thread(target=spin, daemon=True).start()
spin()
