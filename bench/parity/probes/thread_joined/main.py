"""A big thread stack and deep recursion in a thread the main module joins."""

import sys
import threading

result = []


def main():
    def down(n):
        return 0 if n == 0 else 1 + down(n - 1)

    result.append(down(200000))


sys.setrecursionlimit(1 << 20)
threading.stack_size(1 << 28)
thread = threading.Thread(target=main)
thread.start()
thread.join()
print(f"depth={result}")
