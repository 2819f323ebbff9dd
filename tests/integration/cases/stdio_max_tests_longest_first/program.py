# Right only on inputs of three or more numbers: the short tests must not be selected.
xs = input().split()
print(len(xs) if len(xs) >= 3 else -1)
