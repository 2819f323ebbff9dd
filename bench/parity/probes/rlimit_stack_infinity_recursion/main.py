"""The idiom unguarded: setrlimit(RLIMIT_STACK, (RLIM_INFINITY, RLIM_INFINITY)), a big recursion
limit, then recursion 10**5 deep."""

import resource
import sys

resource.setrlimit(resource.RLIMIT_STACK, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
sys.setrecursionlimit(10**6)


def down(n):
    return 0 if n == 0 else 1 + down(n - 1)


print(f"depth={down(10**5)}")
