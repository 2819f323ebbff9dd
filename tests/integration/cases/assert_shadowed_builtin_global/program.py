# Module globals named like builtins: the test's `abs` must still be the builtin.
def abs(x):
    return 0


def truncate_number(x):
    return x
