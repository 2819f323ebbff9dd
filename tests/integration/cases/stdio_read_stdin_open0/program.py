data = open(0).read().split()
print(max(map(int, data)))
