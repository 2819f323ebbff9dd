# category: fork
# attempts: spawn interpreters through posix_spawn (clone with CLONE_VM|CLONE_VFORK), each spawning more
# tests: bomb
# verdicts: runtime_error time_limit memory_limit / passed
# limits: {"pids": 16}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
SPAWN = """
import os, sys
argv = [sys.executable, "-c", sys.argv[1], *sys.argv[1:]]
while True:
    try:
        os.posix_spawn(sys.executable, argv, os.environ)
    except OSError:
        pass
"""
os.execv(sys.executable, [sys.executable, "-c", SPAWN, SPAWN, "@MARKER@"])
