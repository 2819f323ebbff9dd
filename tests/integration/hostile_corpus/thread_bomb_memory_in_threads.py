# category: threads
# attempts: eight threads that each fill memory as fast as they can
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"memory_mb": 64}

import threading

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)

def hog():
    chunks = []
    while True:
        chunks.append(b"x" * (1 << 20))

threads = [threading.Thread(target=hog, daemon=True) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
