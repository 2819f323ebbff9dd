// attack: change PID 1's (the harness's) limits and scheduling, which every later submission's processes inherit in a warm jail, and those of the process serving this submission, through calls that check only the uid: prlimit(2), sched_setaffinity(2), sched_setscheduler(2), sched_setattr(2), ioprio_set(2)
// tests: probe prlimit-pid1-as prlimit-pid1-stack prlimit-pid1-nofile prlimit-pid1-cpu prlimit-pid1-fsize prlimit-parent-nofile prlimit-parent-fsize setaffinity-pid1 setaffinity-parent setscheduler-pid1-idle setscheduler-parent-idle setattr-pid1-idle ioprio-pid1-idle ioprio-group-idle ioprio-user-idle prlimit-self=works setaffinity-self=works

#include "probe.h"

// The kernel's struct sched_attr (its header clashes with glibc's sched.h).
struct sched_attr {
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
};

// Only ever lowers: were one let through, the jail would still be usable for this test.
static long lower(pid_t pid, int resource, rlim_t to) {
    struct rlimit wanted = {to, to};
    return prlimit(pid, resource, &wanted, 0);
}

static long one_cpu(pid_t pid) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    return sched_setaffinity(pid, sizeof cpus, &cpus);
}

static long idle(pid_t pid) {
    struct sched_param none = {0};
    return sched_setscheduler(pid, SCHED_IDLE, &none);
}

static long idle_attr(pid_t pid) {
    struct sched_attr attr = {.size = sizeof attr, .sched_policy = SCHED_IDLE};
    return syscall(SYS_sched_setattr, pid, &attr, 0);
}

// IOPRIO_CLASS_IDLE; for IOPRIO_WHO_PROCESS (1), _PGRP (2) and _USER (3), `who` 0 is the
// caller's own process, process group and user: the group and the user take in PID 1.
static long io_idle(int which, int who) { return syscall(SYS_ioprio_set, which, who, 3 << 13); }

int main(void) {
    pid_t parent = getppid();
    ATTEMPT("prlimit-pid1-as", EPERM, lower(1, RLIMIT_AS, 64 << 20));
    ATTEMPT("prlimit-pid1-stack", EPERM, lower(1, RLIMIT_STACK, 1 << 20));
    ATTEMPT("prlimit-pid1-nofile", EPERM, lower(1, RLIMIT_NOFILE, 16));
    ATTEMPT("prlimit-pid1-cpu", EPERM, lower(1, RLIMIT_CPU, 3600));
    ATTEMPT("prlimit-pid1-fsize", EPERM, lower(1, RLIMIT_FSIZE, 1 << 30));
    ATTEMPT("prlimit-parent-nofile", EPERM, lower(parent, RLIMIT_NOFILE, 16));
    ATTEMPT("prlimit-parent-fsize", EPERM, lower(parent, RLIMIT_FSIZE, 1 << 30));
    ATTEMPT("setaffinity-pid1", EPERM, one_cpu(1));
    ATTEMPT("setaffinity-parent", EPERM, one_cpu(parent));
    ATTEMPT("setscheduler-pid1-idle", EPERM, idle(1));
    ATTEMPT("setscheduler-parent-idle", EPERM, idle(parent));
    ATTEMPT("setattr-pid1-idle", EPERM, idle_attr(1));
    ATTEMPT("ioprio-pid1-idle", EPERM, io_idle(1, 1));
    ATTEMPT("ioprio-group-idle", EPERM, io_idle(2, 0));
    ATTEMPT("ioprio-user-idle", EPERM, io_idle(3, 0));
    // Its own, as the program's business, stay allowed.
    say("prlimit-self", lower(0, RLIMIT_CORE, 0) == 0 ? "works" : "FAILED");
    say("setaffinity-self", one_cpu(0) == 0 ? "works" : "FAILED");
    return 0;
}
