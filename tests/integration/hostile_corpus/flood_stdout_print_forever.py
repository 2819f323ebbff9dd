# category: stdout-flood
# attempts: print forever
# tests: bomb
# verdicts: output_limit / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    print("flood " * 16)
