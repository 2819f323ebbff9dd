/* Crucible's grader runtime: placed beside an IOI-style grader in its build folder.
 *
 * A batch task's grader and the contestant's file are linked into one program, so the
 * contestant's code could print, exit or scribble on the grader's memory.  Crucible's build
 * (grader_link.py) makes sure none of its code runs before the grader's main: the
 * contestant's constructors are set aside and none of its symbols but the functions the
 * grader calls stay global.  The grader then calls those functions through
 * crucible_call(), which runs them in a child process that holds no descriptor of the
 * grader's output (only fd 2, stderr, which is never graded) and cannot trace or read
 * the grader (it is made non-dumpable first): the function's result comes back over a
 * pipe, as bytes, and only the grader prints.  docs/runtime.md#ioi-graders says more.
 * A communication task's stub, whose output only its manager reads, calls crucible_start()
 * and then the contestant directly.
 */
#ifndef CRUCIBLE_GRADER_H
#define CRUCIBLE_GRADER_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The contestant's constructors, moved here by the build; absent when it has none. */
typedef void (*crucible_init_fn)(void);
extern crucible_init_fn __start_crucible_init[] __attribute__((weak, visibility("hidden")));
extern crucible_init_fn __stop_crucible_init[] __attribute__((weak, visibility("hidden")));

/* Exit status of a grader whose contestant's function ended without returning. */
#define CRUCIBLE_NO_RESULT 3

/* The contestant's constructors, run at most once in a process (a child forked after they
 * ran has its globals already made). */
static int crucible_started;

static void crucible_run_inits(void) {
    if (crucible_started) return;
    crucible_started = 1;
    for (crucible_init_fn *init = __start_crucible_init;
         init && init < __stop_crucible_init; ++init) {
        (*init)();
    }
}

/* A communication task's stub calls the contestant directly: its output goes to the task's
 * manager, which decides, so there is nothing of the grader's to guard.  It calls this
 * first, so the contestant's globals are made as a plain program's would be. */
static void crucible_start(void) { crucible_run_inits(); }

/* What the child does: call the contestant (fn), leave `size` bytes in `result`. */
typedef void (*crucible_fn)(void *ctx, void *result);

static void crucible_child(int out, crucible_fn fn, void *ctx, void *result, size_t size) {
    size_t done = 0;
    if (dup2(out, 3) < 0) _exit(CRUCIBLE_NO_RESULT);
    /* Nothing but stderr and the result pipe: the grader's stdin and stdout are gone. */
    syscall(SYS_close_range, 4u, ~0u, 0u);
    close(0);
    close(1);
    crucible_run_inits();
    fn(ctx, result);
    while (done < size) {
        ssize_t n = write(3, (const char *)result + done, size - done);
        if (n <= 0) _exit(CRUCIBLE_NO_RESULT);
        done += (size_t)n;
    }
    _exit(0);
}

/* Run fn(ctx, result) in a child that cannot reach this process's output, and copy its
 * `size` bytes of result back.  Returns only when the child returned a whole result;
 * otherwise this process ends as the child did (the same signal, or a nonzero exit). */
static void crucible_call(crucible_fn fn, void *ctx, void *result, size_t size) {
    int pipes[2];
    pid_t child;
    size_t got = 0;
    int status = 0;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    fflush(NULL);
    if (pipe(pipes) != 0) abort();
    child = fork();
    if (child < 0) abort();
    if (child == 0) {
        close(pipes[0]);
        crucible_child(pipes[1], fn, ctx, result, size);
    }
    close(pipes[1]);
    while (got < size) {
        ssize_t n = read(pipes[0], (char *)result + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(pipes[0]);
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) _exit(WEXITSTATUS(status));
    if (got < size) _exit(CRUCIBLE_NO_RESULT);
}

#ifdef __cplusplus
}

#include <type_traits>

/* C++: the value a callable returns, computed in the isolated child.  The value crosses
 * as bytes, so it must be trivially copyable (a number, a plain struct). */
template <class F>
static auto crucible_isolated(F f) -> decltype(f()) {
    using T = decltype(f());
    static_assert(std::is_trivially_copyable<T>::value, "crucible_isolated returns plain data");
    T value{};
    crucible_call(
        [](void *ctx, void *out) { *static_cast<T *>(out) = (*static_cast<F *>(ctx))(); },
        &f, &value, sizeof value);
    return value;
}
#endif

#endif
