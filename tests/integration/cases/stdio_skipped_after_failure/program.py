n = int(input())
print(5 if n == 2 else 2 * n)
