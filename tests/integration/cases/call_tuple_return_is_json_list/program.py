def divmod_pair(a, b):
    return divmod(a, b)
