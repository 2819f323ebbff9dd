# category: namespaces
# attempts: the raw clone system call with each CLONE_NEW* flag, bypassing libc's fork
# tests: probe clone-newpid clone-newnet clone-newns clone-newipc clone-newuts clone-newcgroup
# verdicts: passed / wrong_answer
# arch: x86_64

SYS_CLONE, SIGCHLD = 56, 17
flags = {
    "clone-newpid": 0x20000000,
    "clone-newnet": 0x40000000,
    "clone-newns": 0x00020000,
    "clone-newipc": 0x08000000,
    "clone-newuts": 0x04000000,
    "clone-newcgroup": 0x02000000,
}

def clone(flag):
    pid = syscall(SYS_CLONE, flag | SIGCHLD, 0, 0, 0, 0)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)

for name, flag in flags.items():
    attempt(name, lambda: clone(flag), errno.EPERM)
