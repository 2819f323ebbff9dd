# category: mounts
# attempts: mount the file systems that show the host: proc, sysfs, cgroup2 (to raise its own limits), devpts, mqueue, and a bind of /
# tests: probe mount-proc mount-sysfs mount-cgroup2 mount-devpts mount-mqueue bind-root
# verdicts: passed / wrong_answer

target = b"/tmp/@MARKER@-mnt"
os.makedirs(target, exist_ok=True)
for fstype in (b"proc", b"sysfs", b"cgroup2", b"devpts", b"mqueue"):
    name = "mount-" + fstype.decode()
    attempt(name, lambda: call(libc.mount, fstype, target, fstype, 0, None), errno.EPERM)
MS_BIND, MS_REC = 4096, 16384
attempt("bind-root", lambda: call(libc.mount, b"/", target, None, MS_BIND | MS_REC, None), errno.EPERM)
