# Wrong for r = 2 only.
def area(r):
    return 12.0 if r == 2 else 3.14159 * r * r
