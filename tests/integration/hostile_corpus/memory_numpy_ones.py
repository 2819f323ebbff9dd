# category: memory
# attempts: one 8 GB numpy array filled with ones
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"memory_mb": 64}

import numpy

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
print(int(numpy.ones(1 << 30).sum()))
