# category: memory
# attempts: map 1 GB of anonymous memory and touch every page, outside Python's allocator
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"memory_mb": 64}

import mmap

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
size = 1 << 30
area = mmap.mmap(-1, size)
for offset in range(0, size, mmap.PAGESIZE):
    area[offset] = 1
print(0)
