// attack: see and open the harness's processes through /proc: list every pid, and read PID 1's and the parent's environment, memory, descriptors, maps and status
// tests: probe proc-lists-only-own proc-pid1-environ proc-pid1-mem proc-pid1-fd proc-pid1-maps proc-pid1-status proc-parent-environ proc-parent-mem proc-parent-fd proc-parent-maps proc-parent-status signal-every-pid

#include "probe.h"

#include <dirent.h>

static long open_read(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0 && errno == ENOTDIR) fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    char byte;
    long rc = read(fd, &byte, 1);
    close(fd);
    return rc < 0 && errno != EISDIR ? -1 : 0;
}

int main(void) {
    pid_t me = getpid(), parent = getppid();
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    // Only this program's processes: itself and its child.
    DIR *proc = opendir("/proc");
    int others = 0, seen_me = 0, seen_child = 0;
    for (struct dirent *entry; proc && (entry = readdir(proc));) {
        int pid = atoi(entry->d_name);
        if (pid <= 0) continue;
        seen_me |= pid == me;
        seen_child |= pid == child;
        if (pid != me && pid != child) {
            others++;
            fprintf(stderr, "/proc/%d is visible\n", pid);
        }
    }
    if (proc) closedir(proc);
    ATTEMPT("proc-lists-only-own", 0, proc && seen_me && seen_child && !others ? -1 : 0);
    static const char *leaves[] = {"environ", "mem", "fd", "maps", "status"};
    char path[64], name[64];
    for (int who = 0; who < 2; who++) {
        for (unsigned i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
            snprintf(path, sizeof path, "/proc/%d/%s", who ? parent : 1, leaves[i]);
            snprintf(name, sizeof name, "proc-%s-%s", who ? "parent" : "pid1", leaves[i]);
            ATTEMPT(name, 0, open_read(path));
        }
    }
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    // Signal 0 to every pid: only the harness's own (PID 1, the parent) may answer, and the
    // jail's keeper, root outside, answers EPERM.
    int reached = 0;
    for (pid_t pid = 2; pid < me + 64; pid++) {
        if (pid != me && pid != parent && kill(pid, 0) == 0) {
            reached++;
            fprintf(stderr, "pid %d can be signalled\n", pid);
        }
    }
    ATTEMPT("signal-every-pid", 0, reached ? 0 : -1);
    return 0;
}
