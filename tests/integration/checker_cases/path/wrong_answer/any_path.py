# A path, but found depth first: not always a shortest one.
import sys

sys.setrecursionlimit(10000)
n, m = map(int, input().split())
near = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v = map(int, input().split())
    near[u].append(v)
    near[v].append(u)
s, t = map(int, input().split())
seen = set()


def walk(u):
    seen.add(u)
    if u == t:
        return [u]
    for v in sorted(near[u], reverse=True):
        if v not in seen:
            rest = walk(v)
            if rest:
                return [u, *rest]
    return None


path = walk(s)
print(-1 if path is None else len(path))
if path:
    print(*path)
