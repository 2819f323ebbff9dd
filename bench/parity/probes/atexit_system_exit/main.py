"""SystemExit raised in an atexit handler: reported on stderr, the exit status unchanged."""

import atexit
import sys


def handler():
    print("handler=ran")
    sys.exit(5)


atexit.register(handler)
print("body=done")
