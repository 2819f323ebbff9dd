n = int(input())
print(*(i * i if i % 2 else i for i in range(1, n + 1)))
