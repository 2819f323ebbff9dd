"""A 9 MB scratch file in /tmp (tempfile): written, read back, removed."""

import hashlib
import os
import tempfile

data = bytes(range(256)) * (9 * 1024 * 1024 // 256)
fd, path = tempfile.mkstemp(dir="/tmp")
with os.fdopen(fd, "wb") as handle:
    handle.write(data)
with open(path, "rb") as handle:
    back = handle.read()
os.remove(path)
print(f"written={len(data)}")
print(f"read_back={len(back)} {hashlib.sha256(back).hexdigest()[:16]}")
print(f"same={back == data}")
