"""The fast-output idiom: collect the answer, print it from an atexit handler (LIFO order)."""

import atexit
import sys

out = []
atexit.register(lambda: sys.stdout.write("registered=first\n"))
atexit.register(lambda: sys.stdout.write("".join(out)))
for i in range(3):
    out.append(f"answer{i}={i * i}\n")
print("body=done")
