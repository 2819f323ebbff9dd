"""An uncaught exception two calls deep: the traceback on stderr and exit status 1."""


def inner(x):
    return 10 // x


def outer():
    return inner(0)


print("before=printed")
outer()
