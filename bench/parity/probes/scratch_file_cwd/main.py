"""A 9 MB scratch file in the working folder: written, read back, removed."""

import hashlib
import os

data = bytes(range(256)) * (9 * 1024 * 1024 // 256)
with open("scratch.bin", "wb") as handle:
    handle.write(data)
with open("scratch.bin", "rb") as handle:
    back = handle.read()
os.remove("scratch.bin")
print(f"written={len(data)}")
print(f"read_back={len(back)} {hashlib.sha256(back).hexdigest()[:16]}")
print(f"same={back == data}")
