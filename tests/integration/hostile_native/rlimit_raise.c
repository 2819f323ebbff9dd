// attack: raise the program's own hard limits past what the jail set (CPU, descriptors, core dumps, locked memory, real-time priority, message queues)
// tests: probe raise-cpu-hard raise-cpu-infinity raise-nofile raise-core raise-memlock raise-rtprio raise-msgqueue mlock-beyond-limit

#include "probe.h"

static long raise_hard(int resource, rlim_t to) {
    struct rlimit now;
    getrlimit(resource, &now);
    struct rlimit wanted = {to, to};
    return setrlimit(resource, &wanted);
}

int main(void) {
    struct rlimit cpu;
    getrlimit(RLIMIT_CPU, &cpu);
    ATTEMPT("raise-cpu-hard", EPERM, raise_hard(RLIMIT_CPU, cpu.rlim_max + 100));
    ATTEMPT("raise-cpu-infinity", EPERM, raise_hard(RLIMIT_CPU, RLIM_INFINITY));
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    ATTEMPT("raise-nofile", EPERM, raise_hard(RLIMIT_NOFILE, files.rlim_max + 1));
    ATTEMPT("raise-core", EPERM, raise_hard(RLIMIT_CORE, 1 << 20));
    ATTEMPT("raise-memlock", EPERM, raise_hard(RLIMIT_MEMLOCK, 1 << 30));
    ATTEMPT("raise-rtprio", EPERM, raise_hard(RLIMIT_RTPRIO, 10));
    ATTEMPT("raise-msgqueue", EPERM, raise_hard(RLIMIT_MSGQUEUE, 1 << 20));
    static char pages[1 << 16];
    ATTEMPT("mlock-beyond-limit", 0, mlock(pages, sizeof pages));
    return 0;
}
