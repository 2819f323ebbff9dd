# Nests its answer 200,000 deep, hoping the test's process cannot decode it and a fault of
# ours is reported instead of its wrong answer.
def solve(i):
    if i == 1:
        return 2
    value = 1
    for _ in range(200000):
        value = [value]
    return value
