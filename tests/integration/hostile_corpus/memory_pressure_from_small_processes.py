# category: memory
# attempts: fill the jail's memory from many fresh small processes, each smaller than the harness, so that the OOM killer's largest process would be the harness (a jail fault instead of a 0)
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"time_s": 2, "wall_time_s": 6, "memory_mb": 128, "pids": 32}

import subprocess

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
child = "b = bytearray(12 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nimport time; time.sleep(5)"
procs = [subprocess.Popen([sys.executable, "-c", child]) for _ in range(24)]
for p in procs:
    p.wait()
print(0)
