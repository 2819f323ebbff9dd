"""Bytes that are not UTF-8 on stdin, read as bytes through sys.stdin.buffer: exactly as fed."""

import sys

data = sys.stdin.buffer.read()
print(f"bytes={data!r}")
print(f"length={len(data)}")
