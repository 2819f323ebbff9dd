"""The depth a program reaches under recursion limits it sets itself (1001, 2000, 10**5;
RecursionError caught each time)."""

import sys

reached = 0


def down(depth):
    global reached
    reached = depth
    down(depth + 1)


for limit in (1001, 2000, 10**5):
    sys.setrecursionlimit(limit)
    try:
        down(1)
    except RecursionError:
        pass
    print(f"depth_{limit}={reached}")
