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
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* The harness's loop for a compiled program's plain stdio tests (`Loop` in harness.py): the
 * same steps as its Python (`Harness.run`), with no Python between one test and the next.
 *
 * Each command is read off the worker's socket here.  One of exactly the shape the worker
 * gives a plain stdio test, `{"op":"run","index":N,"limits":{"wall_s":W,"stretch_s":S,
 * "until":U}}` with its three descriptors, is run here: its process started as
 * `crucible_spawn` starts one (the launcher's argv and environment of the submission), waited
 * for with the CPU watch, every other process of the jail killed and reaped, the program
 * cgroup's totals read, and its record written, field for field as the harness writes it.
 * Any other command is handed to the harness as it came (returns LOOP_HANDED), and so is a
 * test still running at its wall deadline (LOOP_AT_DEADLINE): the harness decides, as ever,
 * whether a wait for a CPU stretches it, and ends it.  Only ever as PID 1 of a jail: it kills
 * every other process it can signal after each test. */

enum { LOOP_HUNG_UP = 0, LOOP_HANDED = 1, LOOP_AT_DEADLINE = 2 };
#define LOOP_FDS 16
#define LOOP_TEST_FDS 3
#define LOOP_MOST_JOINS 8

/* Shared with ctypes (`_LoopState` in harness.py): every field 8 bytes wide. */
struct loop {
    /* in, once per submission */
    long commands, records;          /* the worker's socket, the record pipe */
    long cpu_fd, peak_fd, oom_fd;    /* the program cgroup's files (peak -1 where none) */
    long cpu_in_stat;                /* cpu.stat's usage_usec (v2) rather than ns (v1) */
    long joins;                      /* how many cgroup.procs descriptors follow */
    long join_fds[LOOP_MOST_JOINS];
    long argc;
    char **argv;                     /* the launcher's, as `crucible_spawn` takes it */
    char **environment;
    double cpu_s, slice_s;           /* the CPU limit watched, every slice_s */
    char *buffer;                    /* a handed command: buffer_size + 1 bytes */
    long buffer_size;
    /* kept across calls: the counters the last test left (valid when have_left) */
    long have_left, left_cpu, left_oom;
    long served;                     /* tests run here */
    long started;                    /* this loop's `started` memfd, -1 until made */
    /* out: a handed command */
    long length, flags, count;
    long fds[LOOP_FDS];
    /* out: a test at its deadline (its command handed too) */
    long pid;
    double clock, wall_s, most_wall_s;
    long cpu_start, oom_start;
};

static double monotonic(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* The number after `key` at a line's start in a small cgroup file; -1 when absent. */
static long cgroup_number(long fd, const char *key) {
    char text[4096];
    ssize_t got = pread((int)fd, text, sizeof text - 1, 0);
    if (got <= 0) {
        return -1;
    }
    text[got] = '\0';
    size_t length = strlen(key);
    for (char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0) {
        if (key[0] == '\0') {
            return strtol(line, 0, 10);
        }
        if (strncmp(line, key, length) == 0 && line[length] == ' ') {
            return strtol(line + length + 1, 0, 10);
        }
    }
    return -1;
}

static long cpu_ns(struct loop *l) {
    long value = cgroup_number(l->cpu_fd, l->cpu_in_stat ? "usage_usec" : "");
    return value < 0 ? -1 : l->cpu_in_stat ? value * 1000 : value;
}

static int skip(const char **text, const char *expected) {
    size_t length = strlen(expected);
    if (strncmp(*text, expected, length) != 0) {
        return 0;
    }
    *text += length;
    return 1;
}

static int number_after(const char **text, const char *expected, double *value) {
    char *end;
    if (!skip(text, expected)) {
        return 0;
    }
    *value = strtod(*text, &end);
    if (end == *text) {
        return 0;
    }
    *text = end;
    return 1;
}

/* A plain stdio test's command, exactly as the worker writes it (`_command` in grade.py). */
static int plain_run(const char *text, long *index, double *wall, double *stretch,
                     double *until) {
    char *end;
    if (!skip(&text, "{\"op\":\"run\",\"index\":") || *text < '0' || *text > '9') {
        return 0;
    }
    *index = strtol(text, &end, 10);
    text = end;
    return number_after(&text, ",\"limits\":{\"wall_s\":", wall) &&
           number_after(&text, ",\"stretch_s\":", stretch) &&
           number_after(&text, ",\"until\":", until) && skip(&text, "}}") && *text == '\0';
}

/* Every other process of the jail killed and reaped.  Each descends from this init (an
 * orphan is reparented to it), so none is left when it has no child: then kill(-1), which
 * walks every process of the host, is skipped. */
static void kill_leftovers(void) {
    if (waitpid(-1, 0, WNOHANG) < 0 && errno == ECHILD) {
        return;
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, 0, 0) > 0 || errno == EINTR) {
    }
}

static int write_all(long fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t done = write((int)fd, text, length);
        if (done < 0 && errno == EINTR) {
            continue;
        }
        if (done <= 0) {
            return -1;
        }
        text += done;
        length -= (size_t)done;
    }
    return 0;
}

static void close_handed(struct loop *l) {
    for (long i = 0; i < l->count; i++) {
        close((int)l->fds[i]);
    }
    l->count = 0;
}

/* Run the test whose command and descriptors are in `l`: 0 once its record is written,
 * LOOP_AT_DEADLINE while it still runs at its wall deadline, or -errno. */
static long run_test(struct loop *l, long index, double wall, double stretch, double until) {
    double left = until - monotonic();
    double most = wall + stretch < left ? wall + stretch : left;
    wall = wall < left ? wall : left;
    if (l->started < 0 && (l->started = memfd_create("started", MFD_CLOEXEC)) < 0) {
        return -errno;
    }
    if (pwrite((int)l->started, "", 1, 0) != 1) { /* unmarked (a fresh one reads empty) */
        return -errno;
    }
    /* The counters the test is measured from; its peak reset. */
    if (l->peak_fd >= 0 && pwrite((int)l->peak_fd, "0", 1, 0) != 1) {
        return -errno;
    }
    long cpu_start = l->left_cpu, oom_start = l->left_oom;
    if (!l->have_left) {
        cpu_start = cpu_ns(l);
        oom_start = cgroup_number(l->oom_fd, "oom_kill");
    }
    l->have_left = 0;
    if (cpu_start < 0 || oom_start < 0) {
        return -EIO;
    }
    double clock = monotonic();
    int fds[LOOP_TEST_FDS + 1 + LOOP_MOST_JOINS];
    long count = 0;
    for (; count < LOOP_TEST_FDS; count++) {
        fds[count] = (int)l->fds[count];
    }
    fds[count++] = (int)l->started;
    for (long i = 0; i < l->joins; i++) {
        fds[count++] = (int)l->join_fds[i];
    }
    /* At 0..2 the test's own, then `started` and the cgroup files (the launcher's argv). */
    long pid = crucible_spawn(count, fds, l->argc, l->argv, l->environment);
    if (pid < 0) {
        return pid;
    }
    int pidfd = (int)syscall(SYS_pidfd_open, (int)pid, 0);
    if (pidfd < 0) {
        int error = errno;
        kill((pid_t)pid, SIGKILL);
        kill_leftovers();
        return -error;
    }
    double deadline = clock + wall;
    int cpu_killed = 0;
    for (;;) {
        double remaining = deadline - monotonic();
        remaining = remaining > 0 ? remaining : 0;
        double slice = remaining < l->slice_s ? remaining : l->slice_s;
        struct pollfd watched = {pidfd, POLLIN, 0};
        int ready = poll(&watched, 1, (int)(slice * 1000));
        if (ready > 0) {
            break;
        }
        if (ready < 0 && errno != EINTR) {
            int error = errno;
            close(pidfd);
            kill_leftovers();
            return -error;
        }
        if (ready < 0) {
            continue;
        }
        if (remaining <= slice) {
            /* At the deadline, still running: the harness goes on from here. */
            close(pidfd);
            l->pid = pid;
            l->clock = clock;
            l->wall_s = wall;
            l->most_wall_s = most;
            l->cpu_start = cpu_start;
            l->oom_start = oom_start;
            return LOOP_AT_DEADLINE;
        }
        long used = cpu_ns(l);
        if (used >= 0 && (double)(used - cpu_start) > l->cpu_s * 1e9) {
            cpu_killed = 1;
            kill(-1, SIGKILL);
            break;
        }
    }
    int status = 0;
    struct rusage usage;
    while (wait4((pid_t)pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            int error = errno;
            close(pidfd);
            kill_leftovers();
            return -error;
        }
    }
    close(pidfd);
    double wall_s = monotonic() - clock;
    kill_leftovers();
    long cpu = cpu_ns(l), oom = cgroup_number(l->oom_fd, "oom_kill");
    if (cpu < 0 || oom < 0) {
        return -EIO;
    }
    l->have_left = 1;
    l->left_cpu = cpu;
    l->left_oom = oom;
    char mark = 0;
    if (pread((int)l->started, &mark, 1, 0) < 0) {
        return -errno;
    }
    char record[1024];
    int length;
    int signalled = WIFSIGNALED(status);
    if (mark != '1' && !cpu_killed && !(signalled && WTERMSIG(status) == SIGKILL)) {
        /* A child that failed in our own set-up, before the program ran: our fault. */
        length = snprintf(record, sizeof record,
                          "{\"event\":\"result\",\"index\":%ld,"
                          "\"error\":\"test process set-up failed\"}\n",
                          index);
    } else {
        double cpu_s = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
                       (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
        long rss = usage.ru_maxrss;
        char peak[64] = "";
        if (l->peak_fd >= 0) {
            long bytes = cgroup_number(l->peak_fd, "");
            if (bytes < 0) {
                return -EIO;
            }
            rss = bytes / 1024; /* the vfork's exec recorded the harness's own peak */
            snprintf(peak, sizeof peak, ",\"tree_memory_kb\":%ld", rss);
        }
        char code[24] = "null", signal_number[24] = "null";
        if (WIFEXITED(status)) {
            snprintf(code, sizeof code, "%d", WEXITSTATUS(status));
        }
        if (signalled) {
            snprintf(signal_number, sizeof signal_number, "%d", WTERMSIG(status));
        }
        long tree_cpu = cpu - cpu_start > 0 ? cpu - cpu_start : 0;
        length = snprintf(record, sizeof record,
                          "{\"event\":\"result\",\"wall_s\":%.6f,\"cpu_s\":%.6f,"
                          "\"max_rss_kb\":%ld,\"exit_code\":%s,\"signal\":%s,"
                          "\"wall_killed\":false,\"cpu_killed\":%s,\"tree_cpu_s\":%.6f,"
                          "\"oom_kills\":%ld%s,\"index\":%ld,\"wall_limit_s\":%.3f}\n",
                          wall_s, cpu_s, rss, code, signal_number,
                          cpu_killed ? "true" : "false", (double)tree_cpu / 1e9,
                          oom - oom_start, peak, index, wall > 0 ? wall : 0.0);
    }
    if (length < 0 || (size_t)length >= sizeof record ||
        write_all(l->records, record, (size_t)length) != 0) {
        return -EIO;
    }
    return 0;
}

/* The size of `struct loop`, which the harness checks its own copy against. */
__attribute__((visibility("default"))) long crucible_loop_size(void) {
    return (long)sizeof(struct loop);
}

/* Serve commands until one is not a plain stdio test (LOOP_HANDED: it is in `l`), a test is
 * at its deadline (LOOP_AT_DEADLINE), the worker hangs up (LOOP_HUNG_UP), or -errno.  The
 * counters' cache (`have_left`) never outlives a return: the harness may run tests next. */
__attribute__((visibility("default"))) long crucible_serve(struct loop *l) {
    if (getpid() != 1) {
        return -EPERM; /* it kills every process it can signal: a jail's init only */
    }
    if (l->joins < 0 || l->joins > LOOP_MOST_JOINS || l->buffer_size < 1) {
        return -EINVAL;
    }
    for (;;) {
        char control[CMSG_SPACE(LOOP_FDS * sizeof(int))];
        struct iovec data = {l->buffer, (size_t)l->buffer_size};
        struct msghdr message = {0};
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        ssize_t got = recvmsg((int)l->commands, &message, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            l->have_left = 0;
            return -errno;
        }
        l->length = got;
        l->flags = message.msg_flags;
        l->count = 0;
        for (struct cmsghdr *part = CMSG_FIRSTHDR(&message); part;
             part = CMSG_NXTHDR(&message, part)) {
            if (part->cmsg_level != SOL_SOCKET || part->cmsg_type != SCM_RIGHTS) {
                continue;
            }
            size_t fds = (part->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int *received = (int *)CMSG_DATA(part);
            for (size_t i = 0; i < fds; i++) {
                if (l->count < LOOP_FDS) {
                    l->fds[l->count++] = received[i];
                } else {
                    close(received[i]);
                }
            }
        }
        l->buffer[got] = '\0';
        long index;
        double wall, stretch, until;
        if (got == 0) {
            l->have_left = 0;
            return LOOP_HUNG_UP;
        }
        if ((message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || l->count != LOOP_TEST_FDS ||
            !plain_run(l->buffer, &index, &wall, &stretch, &until)) {
            l->have_left = 0;
            return LOOP_HANDED;
        }
        long done = run_test(l, index, wall, stretch, until);
        if (done != 0) {
            l->have_left = 0;
            if (done < 0) {
                close_handed(l);
            }
            return done;
        }
        l->served++;
        close_handed(l);
    }
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
