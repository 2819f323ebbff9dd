# category: disk
# attempts: a 24 MB sparse file in /tmp, mapped and written page by page, so the tmpfs must refuse a page fault rather than a write
# tests: bomb
# verdicts: runtime_error / passed
# limits: {"output_kb": 32768}

import mmap

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
size = 24 << 20
fd = os.open("/tmp/@MARKER@-mapped", os.O_RDWR | os.O_CREAT)
os.ftruncate(fd, size)
area = mmap.mmap(fd, size)
for offset in range(0, size, mmap.PAGESIZE):
    area[offset] = 1
print(0)
