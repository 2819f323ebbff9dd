# category: namespaces
# attempts: join the harness's namespaces through a pidfd (all of them, net, mount, user) or through /proc/1/ns
# tests: probe setns-all setns-net setns-mnt setns-user nsfs-net
# verdicts: passed / wrong_answer

pidfd = os.pidfd_open(1)
flags = {"setns-all": 0, "setns-net": 0x40000000, "setns-mnt": 0x00020000, "setns-user": 0x10000000}
for name, flag in flags.items():
    attempt(name, lambda: call(libc.setns, pidfd, flag), errno.EPERM)
attempt("nsfs-net", lambda: open("/proc/1/ns/net"), errno.ENOENT)
