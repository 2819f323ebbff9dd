"""An accepted-program shape: limit 1001, a recursive DFS down a path of n nodes from main()."""

import sys

sys.setrecursionlimit(1001)


def main():
    n = int(sys.stdin.readline())
    children = {v: [v + 1] for v in range(1, n)}
    seen = []

    def dfs(v):
        seen.append(v)
        for w in children.get(v, ()):
            dfs(w)

    dfs(1)
    print(f"visited={len(seen)}")


if __name__ == "__main__":
    main()
