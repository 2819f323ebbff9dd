# category: threads
# attempts: start sleeping threads until the pids limit refuses one
# tests: bomb
# verdicts: runtime_error / passed
# limits: {"pids": 16}

import threading
import time

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
