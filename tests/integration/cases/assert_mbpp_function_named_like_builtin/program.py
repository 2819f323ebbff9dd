# MBPP asks for functions named like builtins (task 126: `sum`); the test means this one.
def sum(a, b):
    total = 0
    for i in range(1, min(a, b)):
        if a % i == 0 and b % i == 0:
            total += i
    return total
