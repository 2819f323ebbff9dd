# Off by one on the large answer, written as a float so that rel_tol would forgive it; the
# small answer is right and written as 42.0, which equals 42 exactly.
n = int(input())
print(float(n + 2) if n > 1000 else "%.1f" % (n + 1))
