# category: disk
# attempts: write one file in /tmp until the disk is full, past the 16 MB scratch space
# tests: bomb
# verdicts: runtime_error / passed
# limits: {"output_kb": 32768}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
with open("/tmp/@MARKER@-fill", "wb") as handle:
    while True:
        handle.write(b"\0" * (1 << 20))
        handle.flush()
