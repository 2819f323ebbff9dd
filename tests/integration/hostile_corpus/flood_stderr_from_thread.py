# category: stderr-flood
# attempts: a background thread floods stderr while the main thread sleeps
# tests: bomb
# verdicts: output_limit / passed

import threading
import time

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)

def flood():
    while True:
        sys.stderr.write("thread flood " * 64 + "\n")

threading.Thread(target=flood, daemon=True).start()
time.sleep(10)
