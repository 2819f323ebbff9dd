"""Text, buffer and raw descriptor writes to stdout: the order in which they arrive."""

import os
import sys

print("text1")
sys.stdout.buffer.write(b"buffer1\n")
os.write(1, b"raw1\n")
print("text2", flush=True)
os.write(1, b"raw2\n")
sys.stdout.write("text3\n")
