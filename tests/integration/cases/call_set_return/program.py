def unique(xs):
    return set(xs)
