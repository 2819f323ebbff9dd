input()
values = sorted(set(map(int, input().split())))
print(len(values))
print(",".join(map(str, values)))
