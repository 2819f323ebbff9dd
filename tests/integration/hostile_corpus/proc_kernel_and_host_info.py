# category: proc-secrets
# attempts: read what /proc and /sys tell about the host: CPUs, memory, its TCP connections, mounts, kernel symbols, network interfaces, cgroups
# tests: probe cpuinfo meminfo net-tcp harness-mountinfo kallsyms sys-class-net sys-fs-cgroup
# verdicts: passed / wrong_answer

targets = {
    "cpuinfo": "/proc/cpuinfo",
    "meminfo": "/proc/meminfo",
    "net-tcp": "/proc/net/tcp",
    "harness-mountinfo": "/proc/1/mountinfo",
    "kallsyms": "/proc/kallsyms",
    "sys-class-net": "/sys/class/net",
    "sys-fs-cgroup": "/sys/fs/cgroup",
}

def read(path):
    if os.path.isdir(path):
        return os.listdir(path)
    with open(path, "rb") as handle:
        return handle.read()

for name, path in targets.items():
    attempt(name, lambda: read(path), errno.ENOENT)
