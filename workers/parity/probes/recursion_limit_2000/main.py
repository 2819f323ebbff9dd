"""The depth a program reaches under its own recursion limit of 2000 (RecursionError caught)."""

import sys

sys.setrecursionlimit(2000)
reached = 0


def down(depth):
    global reached
    reached = depth
    down(depth + 1)


try:
    down(1)
except RecursionError:
    pass
print(f"depth={reached}")
