# Asks about every number in turn: right in the end, but over the question limit.
n, limit = map(int, input().split())
x = 1
try:
    while x < n:
        print("?", x + 1, flush=True)
        if input() == "0":
            break
        x += 1
    print("!", x, flush=True)
except (EOFError, BrokenPipeError):
    pass  # the interactor stopped listening
