n, m = map(int, input().split())
edges = [input() for _ in range(m)]
s, t = map(int, input().split())
print(f"from {s} to {t}")
