// attack: kill or stop the harness, PID 1 of the jail, with every signal that could end or pause it, by kill(2), by a pidfd and by tgkill(2)
// tests: probe kill-pid1-SIGKILL kill-pid1-SIGSTOP kill-pid1-SIGTERM kill-pid1-SIGINT kill-pid1-SIGHUP kill-pid1-SIGSEGV kill-pid1-SIGABRT kill-pid1-SIGUSR1 kill-pid1-SIGPIPE kill-pid1-SIGXCPU pidfd-pid1-SIGKILL tgkill-pid1-SIGKILL

#include "probe.h"

// Whether PID 1 is still there, able to take signals, after a moment: -1 (contained) when
// it is, 0 when it is gone.
static long still_there(void) {
    usleep(20000);
    if (kill(1, 0) == 0) {
        errno = EPERM;  // what the kernel did to the signal, as far as the sender can tell
        return -1;
    }
    return 0;
}

int main(void) {
    static const struct {
        const char *name;
        int number;
    } signals[] = {
        {"SIGKILL", SIGKILL}, {"SIGSTOP", SIGSTOP}, {"SIGTERM", SIGTERM}, {"SIGINT", SIGINT},
        {"SIGHUP", SIGHUP},   {"SIGSEGV", SIGSEGV}, {"SIGABRT", SIGABRT}, {"SIGUSR1", SIGUSR1},
        {"SIGPIPE", SIGPIPE}, {"SIGXCPU", SIGXCPU},
    };
    char name[64];
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        kill(1, signals[i].number);
        snprintf(name, sizeof name, "kill-pid1-%s", signals[i].name);
        ATTEMPT(name, EPERM, still_there());
    }
    int pidfd = (int)syscall(SYS_pidfd_open, 1, 0);
    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, 0, 0);
    ATTEMPT("pidfd-pid1-SIGKILL", EPERM, still_there());
    syscall(SYS_tgkill, 1, 1, SIGKILL);
    ATTEMPT("tgkill-pid1-SIGKILL", EPERM, still_there());
    return 0;
}
