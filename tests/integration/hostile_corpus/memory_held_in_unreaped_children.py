# category: memory
# attempts: hold 2 x 100 MB in two forked children that are never reaped, each under memory_mb 128 and the waited-for process small, then answer
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"time_s": 2, "wall_time_s": 4, "memory_mb": 128}

import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
r, w = os.pipe()
for _ in range(2):
    if os.fork() == 0:
        os.close(r)
        block = bytearray(100 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        os.write(w, b"x")
        signal.pause()
os.close(w)
got = 0
while got < 2 and os.read(r, 1):
    got += 1
print(0)
