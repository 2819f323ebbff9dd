input()
values = list(dict.fromkeys(map(int, input().split())))
print(len(values))
print("\n".join(map(str, values)))
