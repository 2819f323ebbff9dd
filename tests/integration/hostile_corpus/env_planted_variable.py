# category: env-secrets
# attempts: find a variable planted in the worker's environment, by name and by value, through os.environ, os.environb, getenv, libc's own environ array and /proc/self/environ
# tests: probe os-environ environb libc-getenv libc-environ any-value proc-self-environ
# verdicts: passed / wrong_answer
# limits: {"pids": 29}

# A pids limit no other test uses, so this case's jail starts after the variable was planted.
KEY, VALUE = "CRUCIBLE_CORPUS_PLANTED", "@PLANTED_VALUE@"

def found(present):
    if not present:
        raise OSError(errno.ENOENT, "not in this environment")

def environ_block():
    environ = ctypes.POINTER(ctypes.c_char_p).in_dll(libc, "environ")
    entries, i = [], 0
    while environ[i]:
        entries.append(environ[i])
        i += 1
    found(any(KEY.encode() in entry or VALUE.encode() in entry for entry in entries))

libc.getenv.restype = ctypes.c_char_p
attempt("os-environ", lambda: found(KEY in os.environ), errno.ENOENT)
attempt("environb", lambda: found(KEY.encode() in os.environb), errno.ENOENT)
attempt("libc-getenv", lambda: found(libc.getenv(KEY.encode()) is not None), errno.ENOENT)
attempt("libc-environ", environ_block, errno.ENOENT)
attempt("any-value", lambda: found(any(VALUE in v for v in os.environ.values())), errno.ENOENT)
proc_environ = lambda: found(VALUE.encode() in open("/proc/self/environ", "rb").read())
attempt("proc-self-environ", proc_environ, errno.ENOENT)
