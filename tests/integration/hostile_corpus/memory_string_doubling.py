# category: memory
# attempts: double a string until the interpreter or the kernel refuses
# tests: bomb
# verdicts: memory_limit / passed
# limits: {"memory_mb": 64}

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
text = "x"
while True:
    text = text + text
