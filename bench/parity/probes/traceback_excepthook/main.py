"""A program's own sys.excepthook is what reports its uncaught exception."""

import sys


def hook(kind, value, tb):
    print(f"hook={kind.__name__}: {value}", file=sys.stderr)


sys.excepthook = hook
print("before=printed")
raise LookupError("missing")
