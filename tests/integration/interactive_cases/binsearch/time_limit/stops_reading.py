# Asks once, then neither reads nor writes: waits for the interactor, which waits for it.
import time

input()
print("? 1", flush=True)
while True:
    time.sleep(1)
