# A module bound under a builtin's name: the test must keep its own `len`.
import string as len


def tokens(s):
    return []
