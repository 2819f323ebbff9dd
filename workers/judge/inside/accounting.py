"""The kernel's totals for one test: CPU time, peak memory and OOM kills of its program cgroup.

The worker makes, per jail, a cgroup that each test's program joins right after its fork
(`workers/judge/cgroups.py`) and passes the harness descriptors of its files; the jail itself has
no /sys.  Every process a test starts is born in that cgroup, so its CPU usage, memory peak
and OOM count cover children that were never reaped (issue 12), and the harness, which stays
outside it, is neither counted nor ever chosen by its OOM killer.  Stdlib only.
"""

import fcntl
import os

# Descriptors the harness keeps are moved at or above this (its child slots are below).
FIRST_FD = 16


class Accounting:
    def __init__(self, spec):
        def keep(fd):
            if fd is None:
                return None
            high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, FIRST_FD)
            os.close(fd)
            return high

        self.procs = [keep(fd) for fd in spec["procs"]]
        self.cpu = keep(spec["cpu"])
        self.cpu_in_stat = spec["cpu_unit"] == "stat"
        self.peak = keep(spec.get("peak"))
        self.oom = keep(spec["oom"])
        # The counters as the last test of this process's submission left them (`totals`),
        # read once every process of that test was reaped: nothing has run in the cgroup
        # since, so the next test starts from them without reading the files again.
        self.left = None

    def join(self):
        """Move the calling process (a freshly forked child) into the program cgroup."""
        for fd in self.procs:
            os.write(fd, b"0")

    def cpu_ns(self):
        text = os.pread(self.cpu, 4096, 0)
        if not self.cpu_in_stat:
            return int(text)
        return 1000 * _field(text, b"usage_usec")

    def oom_kills(self):
        return _field(os.pread(self.oom, 4096, 0), b"oom_kill")

    def forget(self):
        """A submission begins: its first test reads the counters afresh (another process
        may have run tests in the cgroup since this one last read them)."""
        self.left = None

    def begin(self):
        """Before a test's fork: the counters it is measured from; the peak is reset."""
        if self.peak is not None:
            os.pwrite(self.peak, b"0", 0)
        counters, self.left = self.left, None
        return counters or (self.cpu_ns(), self.oom_kills())

    def over(self, start, cpu_s):
        """Whether the test's processes together used more than `cpu_s` of CPU so far."""
        return self.cpu_ns() - start[0] > cpu_s * 1e9

    def totals(self, start):
        """After every process of the test is gone: what they used together."""
        cpu, oom = self.cpu_ns(), self.oom_kills()
        self.left = (cpu, oom)
        totals = {
            "tree_cpu_s": round(max(0, cpu - start[0]) / 1e9, 6),
            "oom_kills": oom - start[1],
        }
        if self.peak is not None:
            totals["tree_memory_kb"] = int(os.pread(self.peak, 64, 0)) // 1024
        return totals


def _field(text, key):
    for line in text.splitlines():
        name, _, value = line.partition(b" ")
        if name == key:
            return int(value)
    raise ValueError(f"no {key!r} in a cgroup file")
