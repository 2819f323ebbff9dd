import numpy as np


def total(xs):
    return np.array(xs).sum()
