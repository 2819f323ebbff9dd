// attack: threads until refused (small stacks, so memory is not what stops them), left running at exit
// tests: probe thread-bomb

#include "probe.h"

#include <pthread.h>

static void *sleeper(void *unused) {
    (void)unused;
    pause();
    return 0;
}

// Threads until refused: -1 with pthread_create's error once refused before the pids
// limit (@PIDS@, which counts threads), else how many were made.
static long threads_until_refused(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 16);
    pthread_t thread;
    int made = 0, rc = 0;
    while (made < 100000 && (rc = pthread_create(&thread, &attr, sleeper, 0)) == 0) made++;
    errno = rc;
    return made < @PIDS@ ? -1 : made;
}

int main(void) {
    ATTEMPT("thread-bomb", EAGAIN, threads_until_refused());
    _exit(0);
}
