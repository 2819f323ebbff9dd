# category: proc-secrets
# attempts: the harness's process files: its environment, command line, root directory (a way out of the jail), working directory, open descriptors, memory, and the same of the process serving the submission
# tests: probe environ cmdline root-escape cwd fd mem parent-fd parent-mem parent-environ
# verdicts: passed / wrong_answer

targets = {
    "environ": "/proc/1/environ",
    "cmdline": "/proc/1/cmdline",
    "root-escape": "/proc/1/root/etc/shadow",
    "cwd": "/proc/1/cwd/",
    "fd": "/proc/1/fd/",
    "mem": "/proc/1/mem",
    "parent-fd": f"/proc/{os.getppid()}/fd/",
    "parent-mem": f"/proc/{os.getppid()}/mem",
    "parent-environ": f"/proc/{os.getppid()}/environ",
}

def read(path):
    if path.endswith("/"):
        return os.listdir(path)
    with open(path, "rb") as handle:
        return handle.read()

for name, path in targets.items():
    attempt(name, lambda: read(path), errno.ENOENT)
