# category: disk
# attempts: nest directories (changing into each) deeper than any path can name, so the harness cannot empty /tmp by path
# tests: bomb
# verdicts: wrong_answer / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
depth = 0
try:
    while True:
        os.mkdir("@MARKER@")
        os.chdir("@MARKER@")
        depth += 1
except OSError:
    pass
print(depth)
