input()
values = list(map(int, input().split()))
print(len(set(values)))
print(*values[: len(set(values))])
