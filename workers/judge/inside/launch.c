/* The first moments of a compiled program's test process, in place of a fork of the harness.
 *
 * The harness starts this with posix_spawn (a vfork: no copy of its page tables, no page
 * copied on first touch; `spawn_native` in harness.py), the test's descriptors in place:
 *
 *     launch STARTED SLOT CPU_S JOINS PROGRAM [ARG...]
 *
 * fds 0..STARTED-1 are the test's own (stdin, stdout, stderr), STARTED is the test's
 * `started` memfd, and the JOINS descriptors after it are the program cgroup's
 * cgroup.procs files.  In this order, each step before the program's first instruction:
 *
 *   0. every signal back to its default action, none blocked (as from a shell);
 *   1. join the program cgroup (every process the program starts is born there);
 *   2. drop every descriptor above STARTED (the cgroup files and whatever the harness held);
 *   3. the CPU limit (CPU_S, whole seconds, as soft limit and one more as hard) and the
 *      stack limit raised to its hard limit (unlimited in a jail, as on a contest judge);
 *   4. mark SLOT of the `started` memfd "1": set-up done, what fails from here is the
 *      program's; then exec PROGRAM with this process's environment.
 *
 * A failure before step 4 leaves the slot unmarked, and one of exec marks it "x": either
 * way the harness reports a fault of its own, never the program's verdict.
 *
 * Built without libc where the architecture's system calls are written out below
 * (CRUCIBLE_FREESTANDING, x86-64 and arm64): a static glibc's start-up alone costs more than
 * the rest of a trivial test (`workers/judge/launcher.py` measures nothing; the benchmarks
 * do).  Elsewhere the same steps go through libc.
 *
 * Built as a shared library (CRUCIBLE_LIBRARY, x86-64 and arm64), the same steps run with no
 * exec of the launcher at all: the harness calls `crucible_spawn` (ctypes), which clones a
 * child that shares its memory until the program's exec (CLONE_VM | CLONE_VFORK, as
 * posix_spawn does), places the test's descriptors, then takes steps 0 to 4 above.  The child
 * makes its system calls itself, never through libc, so it writes nothing the harness reads
 * (errno is the harness's); it runs on a stack of its own, used by one child at a time (the
 * harness is suspended until the exec, and starts one child at a time).
 */

#define SETUP_FAILED 126
#define EXEC_FAILED 127
#define CLOSE_ALL 0xffffffffU
#define RLIMIT_CPU_ID 0
#define RLIMIT_STACK_ID 3
#define SET_FD_FLAGS 2 /* F_SETFD */
#define CLOSE_ON_EXEC 1 /* FD_CLOEXEC */

#define SIGNALS 64
#define SIGNAL_KILL 9
#define SIGNAL_STOP 19
#define SET_MASK 2 /* SIG_SETMASK */

struct limit {
    unsigned long current, most;
};

/* The kernel's own sigaction: handler 0 is SIG_DFL. */
struct action {
    unsigned long handler, flags, restorer, mask;
};

#if (defined(CRUCIBLE_FREESTANDING) || defined(CRUCIBLE_LIBRARY)) && defined(__x86_64__)
enum { NR_DUP2 = 33, NR_WRITE = 1, NR_PWRITE = 18, NR_FCNTL = 72, NR_EXECVE = 59,
       NR_EXIT_GROUP = 231, NR_PRLIMIT = 302, NR_CLOSE = 3, NR_CLOSE_RANGE = 436,
       NR_SIGACTION = 13, NR_SIGMASK = 14 };

static long call(long number, long a, long b, long c, long d) {
    long result;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

#ifdef CRUCIBLE_FREESTANDING
__asm__(".text\n.globl _start\n_start:\n"
        "  xor %rbp, %rbp\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call entry\n  hlt\n");
#endif
#elif (defined(CRUCIBLE_FREESTANDING) || defined(CRUCIBLE_LIBRARY)) && defined(__aarch64__)
enum { NR_DUP2 = 24 /* dup3 */, NR_WRITE = 64, NR_PWRITE = 68, NR_FCNTL = 25,
       NR_EXECVE = 221, NR_EXIT_GROUP = 94, NR_PRLIMIT = 261, NR_CLOSE = 57,
       NR_CLOSE_RANGE = 436, NR_SIGACTION = 134, NR_SIGMASK = 135 };

static long call(long number, long a, long b, long c, long d) {
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}

#ifdef CRUCIBLE_FREESTANDING
__asm__(".text\n.globl _start\n_start:\n  mov x29, #0\n  mov x0, sp\n  bl entry\n  brk #0\n");
#endif
#elif defined(CRUCIBLE_FREESTANDING) || defined(CRUCIBLE_LIBRARY)
#error "no system calls written out for this architecture: build with libc, not as a library"
#else
#define _GNU_SOURCE
#include <unistd.h>
#include <sys/syscall.h>

#define NR_WRITE SYS_write
#define NR_PWRITE SYS_pwrite64
#define NR_FCNTL SYS_fcntl
#define NR_EXECVE SYS_execve
#define NR_EXIT_GROUP SYS_exit_group
#define NR_PRLIMIT SYS_prlimit64
#define NR_CLOSE SYS_close
#define NR_CLOSE_RANGE 436
#define NR_SIGACTION SYS_rt_sigaction
#define NR_SIGMASK SYS_rt_sigprocmask

static long call(long number, long a, long b, long c, long d) {
    long result = syscall(number, a, b, c, d);
    return result == -1 ? -1 : result;
}
#endif

__attribute__((noreturn)) static void leave(int code) {
    for (;;) {
        call(NR_EXIT_GROUP, code, 0, 0, 0);
    }
}

/* A non-negative decimal number, or -1. */
static long number(const char *text) {
    long value = 0;
    if (*text == '\0') {
        return -1;
    }
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || value > 100000000) {
            return -1;
        }
        value = value * 10 + (*text - '0');
    }
    return value;
}

/* Every signal at its default action (exec keeps an ignored one ignored: SIGPIPE from
 * Python, libc's own two), and none blocked. */
static int default_signals(void) {
    struct action plain = {0, 0, 0, 0};
    unsigned long none = 0;
    for (long signal = 1; signal <= SIGNALS; signal++) {
        if (signal != SIGNAL_KILL && signal != SIGNAL_STOP &&
            call(NR_SIGACTION, signal, (long)&plain, 0, sizeof(none)) != 0) {
            return -1;
        }
    }
    return call(NR_SIGMASK, SET_MASK, (long)&none, 0, sizeof(none)) == 0 ? 0 : -1;
}

static void launch(long argc, char **argv, char **environment) {
    if (argc < 6 || default_signals() != 0) {
        leave(SETUP_FAILED);
    }
    long started = number(argv[1]), slot = number(argv[2]), cpu = number(argv[3]);
    long joins = number(argv[4]);
    if (started < 0 || started > 64 || slot < 0 || cpu < 1 || joins < 0 || joins > 8) {
        leave(SETUP_FAILED);
    }
    for (long i = 1; i <= joins; i++) {
        if (call(NR_WRITE, started + i, (long)"0", 1, 0) != 1) {
            leave(SETUP_FAILED);
        }
    }
    if (call(NR_CLOSE_RANGE, started + 1, (long)CLOSE_ALL, 0, 0) != 0) {
        for (long fd = started + 1; fd < 4096; fd++) { /* kernels before 5.9 */
            call(NR_CLOSE, fd, 0, 0, 0);
        }
    }
    struct limit cpu_limit = {(unsigned long)cpu, (unsigned long)cpu + 1};
    struct limit stack;
    if (call(NR_PRLIMIT, 0, RLIMIT_CPU_ID, (long)&cpu_limit, 0) != 0 ||
        call(NR_PRLIMIT, 0, RLIMIT_STACK_ID, 0, (long)&stack) != 0) {
        leave(SETUP_FAILED);
    }
    stack.current = stack.most;
    if (call(NR_PRLIMIT, 0, RLIMIT_STACK_ID, (long)&stack, 0) != 0 ||
        call(NR_PWRITE, started, (long)"1", 1, slot) != 1 ||
        call(NR_FCNTL, started, SET_FD_FLAGS, CLOSE_ON_EXEC, 0) != 0) {
        leave(SETUP_FAILED);
    }
    call(NR_EXECVE, (long)argv[5], (long)(argv + 5), (long)environment, 0);
    call(NR_PWRITE, started, (long)"x", 1, slot);
    leave(EXEC_FAILED);
}

#if defined(CRUCIBLE_LIBRARY)
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>

struct request {
    long count;
    const int *fds;
    long argc;
    char **argv;
    char **environment;
};

static unsigned char child_stack[1 << 16] __attribute__((aligned(16)));

/* In the clone: fds[i] placed at i (the sources all lie above the targets), then the steps. */
static int child(void *argument) {
    struct request *request = argument;
    for (long target = 0; target < request->count; target++) {
        if (call(NR_DUP2, request->fds[target], target, 0, 0) != target) {
            leave(SETUP_FAILED);
        }
    }
    launch(request->argc, request->argv, request->environment);
    leave(SETUP_FAILED);
    return SETUP_FAILED;
}

/* Start a test's process as the launcher would be started with `argv` (its argv[0] unused)
 * and the descriptors `fds` at 0..count-1: the child's pid once it has exec'd the program
 * (or ended), or -errno. */
__attribute__((visibility("default"))) long crucible_spawn(long count, const int *fds,
                                                           long argc, char **argv,
                                                           char **environment) {
    if (count < 1 || count > 64) {
        return -EINVAL;
    }
    for (long i = 0; i < count; i++) {
        if (fds[i] < count) {
            return -EINVAL; /* placing an earlier one would overwrite it */
        }
    }
    struct request request = {count, fds, argc, argv, environment};
    sigset_t every, before;
    sigfillset(&every);
    pthread_sigmask(SIG_SETMASK, &every, &before); /* no handler of ours runs in the child */
    int pid = clone(child, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | SIGCHLD,
                    &request);
    int error = errno;
    pthread_sigmask(SIG_SETMASK, &before, 0);
    return pid < 0 ? -error : pid;
}
#elif defined(CRUCIBLE_FREESTANDING)
/* From _start: the stack holds argc, then argv's pointers and a null, then the environment's. */
__attribute__((used, noreturn)) void entry(long *stack) {
    long argc = stack[0];
    char **argv = (char **)(stack + 1);
    launch(argc, argv, argv + argc + 1);
    leave(SETUP_FAILED);
}
#else
int main(int argc, char **argv, char **environment) {
    launch(argc, argv, environment);
    return SETUP_FAILED;
}
#endif
