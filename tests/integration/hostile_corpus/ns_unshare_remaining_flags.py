# category: namespaces
# attempts: unshare the namespaces nsjail already gave the jail (pid, ipc, uts, cgroup, time) and plain unshares, and rename the host
# tests: probe unshare-pid unshare-ipc unshare-uts unshare-cgroup unshare-time unshare-files unshare-sysvsem sethostname setdomainname
# verdicts: passed / wrong_answer

flags = {
    "unshare-pid": 0x20000000,
    "unshare-ipc": 0x08000000,
    "unshare-uts": 0x04000000,
    "unshare-cgroup": 0x02000000,
    "unshare-time": 0x00000080,
    "unshare-files": 0x00000400,
    "unshare-sysvsem": 0x00040000,
}
for name, flag in flags.items():
    attempt(name, lambda: call(libc.unshare, flag), errno.EPERM)
attempt("sethostname", lambda: call(libc.sethostname, b"escaped", 7), errno.EPERM)
attempt("setdomainname", lambda: call(libc.setdomainname, b"escaped", 7), errno.EPERM)
