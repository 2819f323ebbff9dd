"""Windows line ends on stdin: what input(), readline() and read() return, \\r included."""

import sys

print(f"input={input()!r}")
print(f"readline={sys.stdin.readline()!r}")
print(f"read={sys.stdin.read()!r}")
