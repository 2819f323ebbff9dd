def pairs(n):
    return [[i, i * i] for i in range(n)] + [[n, 0]]
