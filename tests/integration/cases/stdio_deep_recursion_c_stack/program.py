# Each level goes through C (map, sum), so it uses the machine stack, not only Python frames.
def depth(n):
    return 0 if n == 0 else 1 + sum(map(depth, [n - 1]))


print(depth(int(input())))
