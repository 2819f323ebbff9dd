# category: fork
# attempts: the shell fork bomb: every shell loops starting more shells in the background
# tests: bomb
# verdicts: runtime_error time_limit memory_limit / passed
# limits: {"pids": 16}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
os.execv("/bin/sh", ["sh", "-c", "exec 2>/dev/null; b() { while :; do b & done; }; b", "@MARKER@"])
