"""sys.exit(3) after output: the output is kept and the status is 3."""

import sys

print("before=printed")
sys.exit(3)
