# Asks once, then closes its output and leaves without an answer.
import os

input()
print("? 1", flush=True)
input()
os.close(1)
