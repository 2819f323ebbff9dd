# category: cpu
# attempts: exponential backtracking inside the regex engine, C code that never returns to the interpreter's signal checks
# tests: bomb
# verdicts: time_limit / passed
# limits: {"time_s": 0.5, "wall_time_s": 1.5}

import re

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
print(bool(re.match(r"^(a|aa)+$", "a" * 64 + "b")))
