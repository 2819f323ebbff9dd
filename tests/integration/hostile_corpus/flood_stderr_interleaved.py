# category: stderr-flood
# attempts: alternate stdout and stderr writes, so neither stream alone looks like the flood
# tests: bomb
# verdicts: output_limit / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    os.write(1, b"o" * 1024)
    os.write(2, b"e" * 2048)
