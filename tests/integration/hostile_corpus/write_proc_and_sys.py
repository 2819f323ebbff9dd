# category: write-outside
# attempts: the kernel knobs container escapes write to: core_pattern, sysrq-trigger, uevent_helper, drop_caches, the cgroup's own memory.max, oom_score_adj
# tests: probe core-pattern sysrq-trigger drop-caches uevent-helper cgroup-memory-max oom-score-adj
# verdicts: passed / wrong_answer

targets = {
    "core-pattern": ("/proc/sys/kernel/core_pattern", "|/tmp/@MARKER@-core"),
    "sysrq-trigger": ("/proc/sysrq-trigger", "s"),
    "drop-caches": ("/proc/sys/vm/drop_caches", "3"),
    "uevent-helper": ("/sys/kernel/uevent_helper", "/tmp/@MARKER@-helper"),
    "cgroup-memory-max": ("/sys/fs/cgroup/memory.max", "max"),
    "oom-score-adj": ("/proc/self/oom_score_adj", "-1000"),
}

def write(path, data):
    with open(path, "w") as handle:
        handle.write(data)

for name, (path, data) in targets.items():
    attempt(name, lambda: write(path, data), errno.ENOENT, errno.EROFS, errno.EACCES)
