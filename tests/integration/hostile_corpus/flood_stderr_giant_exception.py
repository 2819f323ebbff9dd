# category: stderr-flood
# attempts: die with an exception whose message is 8 MB, so the traceback itself floods stderr
# tests: bomb
# verdicts: output_limit / passed

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
raise ValueError("e" * (8 << 20))
