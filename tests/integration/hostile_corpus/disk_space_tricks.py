# category: disk
# attempts: preallocate past the tmpfs size, a 1 TB sparse file, more files than /dev/shm has inodes, and raising the file-size limit
# tests: probe tmp-fallocate-24mb tmp-sparse-1tb shm-200-files raise-fsize-limit
# verdicts: passed / wrong_answer
# limits: {"output_kb": 32768}

import signal

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # see EFBIG instead of dying

def fallocate():
    fd = os.open("/tmp/@MARKER@-alloc", os.O_CREAT | os.O_WRONLY)
    try:
        os.posix_fallocate(fd, 0, 24 << 20)
    finally:
        os.close(fd)
        os.unlink("/tmp/@MARKER@-alloc")

def sparse():
    with open("/tmp/@MARKER@-sparse", "wb") as handle:
        handle.truncate(1 << 40)

def shm_files():
    for i in range(200):
        open(f"/dev/shm/@MARKER@-{i}", "w").close()

class Rlimit(ctypes.Structure):
    _fields_ = [("soft", ctypes.c_ulong), ("hard", ctypes.c_ulong)]

RLIMIT_FSIZE, UNLIMITED = 1, (1 << 64) - 1
attempt("tmp-fallocate-24mb", fallocate, errno.ENOSPC)
attempt("tmp-sparse-1tb", sparse, errno.EFBIG)
attempt("shm-200-files", shm_files, errno.ENOSPC)
raise_limit = lambda: call(libc.setrlimit, RLIMIT_FSIZE, ctypes.byref(Rlimit(UNLIMITED, UNLIMITED)))
attempt("raise-fsize-limit", raise_limit, errno.EPERM)
