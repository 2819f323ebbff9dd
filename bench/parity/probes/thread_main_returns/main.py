"""The competitive idiom: a big thread stack, deep recursion in a thread started last; the main
module returns before the thread finishes (the interpreter waits for it at exit)."""

import sys
import threading
import time


def main():
    time.sleep(0.2)  # the main module has certainly returned by now

    def down(n):
        return 0 if n == 0 else 1 + down(n - 1)

    print(f"thread_depth={down(100000)}")
    print(f"thread_is_main={threading.current_thread() is threading.main_thread()}")


sys.setrecursionlimit(1 << 20)
threading.stack_size(1 << 27)
threading.Thread(target=main).start()
