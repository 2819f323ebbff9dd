"""sys.exit("message"): the message on stderr, status 1."""

import sys

print("before=printed")
sys.exit("fatal: bad input")
