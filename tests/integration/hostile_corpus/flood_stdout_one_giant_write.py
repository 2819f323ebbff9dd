# category: stdout-flood
# attempts: a single 64 MB write(2) to stdout, which the kernel cuts short at the file-size limit without a signal
# tests: bomb
# verdicts: output_limit / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
os.write(1, b"y" * (64 << 20))
