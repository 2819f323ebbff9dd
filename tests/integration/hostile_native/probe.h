// What every hostile native program starts with: the test puts this file in place of the
// program's `#include "probe.h"` line (the compile jail sees only the one source file).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

// One line per attempt, on stdout (which the test compares) and, when the attempt got
// through, on stderr too (which the test's failure message shows): "<name> contained" when
// the call returned -1 with errno `want` (any errno for 0), else "<name> ESCAPED ...".
static void report(const char *name, long rc, int err, int want) {
    if (rc == -1 && (want == 0 || err == want)) {
        printf("%s contained\n", name);
    } else {
        printf("%s ESCAPED rc=%ld errno=%d (%s)\n", name, rc, err, strerror(err));
        fprintf(stderr, "%s ESCAPED rc=%ld errno=%d (%s)\n", name, rc, err, strerror(err));
    }
    fflush(stdout);
}

#define ATTEMPT(name, want, call)           \
    do {                                    \
        errno = 0;                          \
        long rc_ = (long)(call);            \
        report(name, rc_, errno, want);     \
    } while (0)

// A line the test expects as it is ("<name> <word>"), for what must work.
static void say(const char *name, const char *word) {
    printf("%s %s\n", name, word);
    fflush(stdout);
}

// `action` in a child, for a call the seccomp policy may answer by killing the process: -1
// with errno EPERM when SIGSYS killed it, or with the errno the child exited with; else 0.
static long in_child(long (*action)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long rc = action();
        _exit(rc == -1 ? (errno ? errno : 255) : 0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
    if (WIFSIGNALED(status)) {
        errno = WTERMSIG(status) == SIGSYS ? EPERM : EINTR;
        return -1;
    }
    errno = WEXITSTATUS(status);
    return errno ? -1 : 0;
}

// Every process of the program carries the run's marker as its name, so the host can look
// for exactly its leftovers.
__attribute__((constructor)) static void stamp(void) {
    prctl(PR_SET_NAME, "@MARKER@", 0, 0, 0);
}
