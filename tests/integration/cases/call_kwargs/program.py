def power(base, exp=2):
    return base**exp
