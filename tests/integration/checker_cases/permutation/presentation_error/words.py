n = int(input())
print(" ".join(f"#{i}" for i in range(1, n + 1)))
