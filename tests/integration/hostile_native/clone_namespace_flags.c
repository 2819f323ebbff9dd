// attack: a new namespace of every kind through clone(2) with raw flags and through unshare(2), and clone3, whose flags a seccomp filter cannot read
// tests: probe clone-newns unshare-newns clone-newcgroup unshare-newcgroup clone-newuts unshare-newuts clone-newipc unshare-newipc clone-newuser unshare-newuser clone-newpid unshare-newpid clone-newnet unshare-newnet clone-newtime unshare-newtime clone-every-flag clone3 clone3-newuser clone-plain=works

#include "probe.h"

#include <linux/sched.h>

static long raw_clone(unsigned long flags) {
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid < 0) return -1;
    waitpid(pid, 0, 0);
    return 0;
}

static long raw_clone3(unsigned long flags) {
    struct clone_args args = {.flags = flags, .exit_signal = SIGCHLD};
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) _exit(0);
    if (pid < 0) return -1;
    waitpid(pid, 0, 0);
    return 0;
}

int main(void) {
    static const struct {
        const char *name;
        unsigned long flag;
    } kinds[] = {
        {"newns", CLONE_NEWNS},       {"newcgroup", CLONE_NEWCGROUP},
        {"newuts", CLONE_NEWUTS},     {"newipc", CLONE_NEWIPC},
        {"newuser", CLONE_NEWUSER},   {"newpid", CLONE_NEWPID},
        {"newnet", CLONE_NEWNET},     {"newtime", CLONE_NEWTIME},
    };
    unsigned long every = 0;
    char name[64];
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(name, sizeof name, "clone-%s", kinds[i].name);
        ATTEMPT(name, EPERM, raw_clone(kinds[i].flag));
        snprintf(name, sizeof name, "unshare-%s", kinds[i].name);
        ATTEMPT(name, EPERM, syscall(SYS_unshare, kinds[i].flag));
        every |= kinds[i].flag;
    }
    ATTEMPT("clone-every-flag", EPERM, raw_clone(every));
    ATTEMPT("clone3", ENOSYS, raw_clone3(0));
    ATTEMPT("clone3-newuser", ENOSYS, raw_clone3(CLONE_NEWUSER));
    say("clone-plain", raw_clone(0) == 0 ? "works" : "FAILED");
    return 0;
}
