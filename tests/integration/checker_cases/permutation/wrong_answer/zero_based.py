n = int(input())
print(*range(n))
