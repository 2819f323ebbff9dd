"""Bytes that are not UTF-8 on stdin, read as text: what sys.stdin.read() gives or raises."""

import sys

try:
    print(f"read={sys.stdin.read()!r}")
except UnicodeDecodeError as exc:
    print(f"read=UnicodeDecodeError at {exc.start}: {exc.reason}")
print(f"errors={sys.stdin.errors!r}")
