# category: stdout-flood
# attempts: write 64 KB chunks of bytes that are not UTF-8 straight to the binary stdout
# tests: bomb
# verdicts: output_limit / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
while True:
    sys.stdout.buffer.write(b"\xff\xfe" * (1 << 15))
