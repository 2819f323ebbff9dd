# Writes questions as fast as it can, never reading a reply, until the interactor leaves.
import os
import sys

input()
chunk = b"? 1\n" * 65536
try:
    while True:
        sys.stdout.buffer.write(chunk)
except BrokenPipeError:
    os._exit(0)  # the interactor stopped listening
