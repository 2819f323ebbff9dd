# category: fds
# attempts: exhaust descriptors with pipes, then with socket pairs, then raise the descriptor limit
# tests: probe pipes socketpairs raise-nofile-limit
# verdicts: passed / wrong_answer

import socket

def exhaust(make):
    held = []
    try:
        while True:
            held.extend(make())
    finally:
        for item in held:
            item.close() if hasattr(item, "close") else os.close(item)

class Rlimit(ctypes.Structure):
    _fields_ = [("soft", ctypes.c_ulong), ("hard", ctypes.c_ulong)]

RLIMIT_NOFILE = 7
attempt("pipes", lambda: exhaust(os.pipe), errno.EMFILE)
attempt("socketpairs", lambda: exhaust(socket.socketpair), errno.EMFILE)
more = Rlimit(1 << 20, 1 << 20)
attempt("raise-nofile-limit", lambda: call(libc.setrlimit, RLIMIT_NOFILE, ctypes.byref(more)), errno.EPERM)
