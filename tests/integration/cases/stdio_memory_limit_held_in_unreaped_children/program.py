# Issue 12, class 9: 2 x 150 MB held in two forked children that are never reaped; each one
# and the waited-for process stay under memory_mb 256, their sum does not.
import os, signal

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
n = int(input())
r, w = os.pipe()
for _ in range(2):
    if os.fork() == 0:
        os.close(r)
        block = bytearray(150 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        os.write(w, b"x")
        signal.pause()
os.close(w)
got = 0
while got < 2 and os.read(r, 1):
    got += 1
print(n * 2)
