# category: fork
# attempts: replace itself with a fresh interpreter that fork-bombs, so no process keeps the program's name (the marker rides in the arguments)
# tests: bomb
# verdicts: runtime_error time_limit memory_limit / passed
# limits: {"pids": 16}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
BOMB = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
os.execv(sys.executable, [sys.executable, "-c", BOMB, "@MARKER@"])
