# Alice writes x in 20 bits; Bob reads them back (Python).  Scores 100.
import sys

if sys.argv[1] == "0":
    x = int(sys.stdin.readline())
    print(format(x, "020b"))
else:
    print(int(sys.stdin.readline(), 2))
