n = int(input())
print(*(i**3 for i in range(1, n)))
