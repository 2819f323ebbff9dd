# The right length, but it jumps straight to t.
n, m = map(int, input().split())
for _ in range(m):
    input()
s, t = map(int, input().split())
print(2)
print(s, t)
