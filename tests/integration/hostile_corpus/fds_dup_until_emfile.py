# category: fds
# attempts: duplicate stdin until no descriptor is left
# tests: bomb
# verdicts: runtime_error / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
held = []
while True:
    held.append(os.dup(0))
