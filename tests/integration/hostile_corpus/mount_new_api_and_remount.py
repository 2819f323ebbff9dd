# category: mounts
# attempts: the new mount API (fsopen, fspick, open_tree, move_mount, mount_setattr) and remounting /usr writable
# tests: probe fsopen-tmpfs fspick-usr open-tree-clone move-mount mount-setattr remount-usr-rw
# verdicts: passed / wrong_answer

AT_FDCWD, OPEN_TREE_CLONE = -100, 1
attempt("fsopen-tmpfs", lambda: syscall(430, b"tmpfs", 0), errno.EPERM)
attempt("fspick-usr", lambda: syscall(433, AT_FDCWD, b"/usr", 0), errno.EPERM)
attempt("open-tree-clone", lambda: syscall(428, AT_FDCWD, b"/usr", OPEN_TREE_CLONE), errno.EPERM)
attempt("move-mount", lambda: syscall(429, AT_FDCWD, b"/usr", AT_FDCWD, b"/tmp", 0), errno.EPERM)
attempt("mount-setattr", lambda: syscall(442, AT_FDCWD, b"/usr", 0, 0, 0), errno.EPERM)
MS_REMOUNT, MS_BIND = 32, 4096
remount = lambda: call(libc.mount, None, b"/usr", None, MS_REMOUNT | MS_BIND, None)
attempt("remount-usr-rw", remount, errno.EPERM)
