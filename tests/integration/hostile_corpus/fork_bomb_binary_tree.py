# category: fork
# attempts: every process forks twice per round, forever, ignoring every failure
# tests: bomb
# verdicts: runtime_error time_limit memory_limit / passed
# limits: {"pids": 16}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    try:
        os.fork()
        os.fork()
    except OSError:
        pass
