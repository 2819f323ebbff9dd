"""resource.setrlimit(RLIMIT_STACK, (-1, -1)), as competitive programs do before deep recursion."""

import resource

try:
    resource.setrlimit(resource.RLIMIT_STACK, (-1, -1))
    print("setrlimit=ok")
except (ValueError, OSError) as exc:
    print(f"setrlimit={type(exc).__name__}: {exc}")
infinite = (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
print(f"now_unlimited={resource.getrlimit(resource.RLIMIT_STACK) == infinite}")
