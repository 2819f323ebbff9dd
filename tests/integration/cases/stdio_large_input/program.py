import sys

data = sys.stdin.buffer.read().split()
print(len(data), sum(map(int, data)))
