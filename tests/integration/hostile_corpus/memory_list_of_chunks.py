# category: memory
# attempts: keep appending filled 1 MB chunks to a list until something gives
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"memory_mb": 64}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
chunks = []
while True:
    chunks.append(b"x" * (1 << 20))
