n = int(input())
print(1, *range(1, n))
