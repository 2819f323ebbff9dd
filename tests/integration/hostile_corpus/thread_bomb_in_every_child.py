# category: threads
# attempts: four children and the parent all start threads, sharing one pids limit
# tests: bomb
# verdicts: runtime_error / passed
# limits: {"pids": 16}

import threading
import time

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)

def swarm():
    while True:
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()

for _ in range(4):
    if os.fork() == 0:
        try:
            swarm()
        except RuntimeError:
            time.sleep(3600)
swarm()
