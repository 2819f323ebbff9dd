# category: write-outside
# attempts: create device nodes for memory and a disk, open the host's memory, I/O ports, kernel log and a terminal
# tests: probe mknod-mem mknod-disk dev-mem dev-port dev-kmsg dev-tty
# verdicts: passed / wrong_answer

import stat

def write(path):
    with open(path, "wb") as handle:
        handle.write(b"escaped")

mem = lambda: os.mknod("/tmp/@MARKER@-mem", stat.S_IFCHR | 0o600, os.makedev(1, 1))
attempt("mknod-mem", mem, errno.EPERM)
disk = lambda: os.mknod("/dev/shm/@MARKER@-sda", stat.S_IFBLK | 0o600, os.makedev(8, 0))
attempt("mknod-disk", disk, errno.EPERM)
attempt("dev-mem", lambda: open("/dev/mem", "rb").read(64), errno.ENOENT)
attempt("dev-port", lambda: open("/dev/port", "r+b"), errno.ENOENT)
attempt("dev-kmsg", lambda: write("/dev/kmsg"), errno.ENOENT, errno.EROFS)
attempt("dev-tty", lambda: open("/dev/tty", "r+b"), errno.ENOENT, errno.ENXIO)
