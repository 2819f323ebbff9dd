"""What the runtime gives a program that sets nothing: recursion limit and stack size."""

import resource
import sys

print(f"recursionlimit={sys.getrecursionlimit()}")
print(f"stack_soft={resource.getrlimit(resource.RLIMIT_STACK)[0]}")
