from collections import deque


def main(reverse):
    n, m = map(int, input().split())
    near = [[] for _ in range(n + 1)]
    for _ in range(m):
        u, v = map(int, input().split())
        near[u].append(v)
        near[v].append(u)
    s, t = map(int, input().split())
    before = {s: None}
    queue = deque([s])
    while queue:
        u = queue.popleft()
        for v in sorted(near[u], reverse=reverse):
            if v not in before:
                before[v] = u
                queue.append(v)
    if t not in before:
        print(-1)
        return
    path = [t]
    while before[path[-1]] is not None:
        path.append(before[path[-1]])
    print(len(path))
    print(*reversed(path))


main(reverse=True)
