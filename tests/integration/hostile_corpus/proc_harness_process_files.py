# category: proc-secrets
# attempts: the harness's process files: its environment, command line, root directory (a way out of the jail), working directory, open descriptors, and /dev/fd
# tests: probe environ cmdline root-escape cwd self-fd dev-fd dev-stdin
# verdicts: passed / wrong_answer

targets = {
    "environ": "/proc/1/environ",
    "cmdline": "/proc/1/cmdline",
    "root-escape": "/proc/1/root/etc/shadow",
    "cwd": "/proc/1/cwd/",
    "self-fd": "/proc/self/fd/0",
    "dev-fd": "/dev/fd/0",
    "dev-stdin": "/dev/stdin",
}

def read(path):
    if path.endswith("/"):
        return os.listdir(path)
    with open(path, "rb") as handle:
        return handle.read()

for name, path in targets.items():
    attempt(name, lambda: read(path), errno.ENOENT)
