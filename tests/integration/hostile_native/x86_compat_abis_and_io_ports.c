// attack: slip unshare, ptrace, mount and prlimit past the filter through the 32-bit (int 0x80) and x32 system-call ABIs, whose numbers differ from x86_64's; raise the I/O privilege level
// tests: probe i386-unshare i386-ptrace i386-mount i386-prlimit64 x32-unshare x32-prlimit64 iopl ioperm
// arch: x86_64

#include "probe.h"

static long number, first, second;

static long int80(void) {
    long result;
    __asm__ volatile("int $0x80"
                     : "=a"(result)
                     : "a"(number), "b"(first), "c"(second), "d"(0), "S"(0), "D"(0)
                     : "memory");
    if (result < 0 && result > -4096) {
        errno = (int)-result;
        return -1;
    }
    return result;
}

static long x32(void) { return syscall(0x40000000 | number, first, second, 0, 0); }

static long compat(long (*abi)(void), long nr, long a, long b) {
    number = nr, first = a, second = b;
    return in_child(abi);
}

int main(void) {
    ATTEMPT("i386-unshare", EPERM, compat(int80, 310, CLONE_NEWUSER, 0));
    ATTEMPT("i386-ptrace", EPERM, compat(int80, 26, 16, 1));
    ATTEMPT("i386-mount", EPERM, compat(int80, 21, 0, 0));
    ATTEMPT("i386-prlimit64", EPERM, compat(int80, 340, 1, RLIMIT_NOFILE));
    // The kernel may have no x32 ABI at all (ENOSYS); else the filter kills the caller.
    ATTEMPT("x32-unshare", 0, compat(x32, 272, CLONE_NEWUSER, 0));
    ATTEMPT("x32-prlimit64", 0, compat(x32, 302, 1, RLIMIT_NOFILE));
    ATTEMPT("iopl", EPERM, syscall(SYS_iopl, 3));
    ATTEMPT("ioperm", EPERM, syscall(SYS_ioperm, 0x80, 1, 1));
    return 0;
}
