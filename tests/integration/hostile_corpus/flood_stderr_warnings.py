# category: stderr-flood
# attempts: millions of distinct warnings, each printed once by the warnings machinery
# tests: bomb
# verdicts: output_limit / passed

import warnings

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
for i in range(10**8):
    warnings.warn(f"warning number {i} " + "w" * 100)
