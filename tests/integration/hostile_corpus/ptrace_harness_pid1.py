# category: ptrace
# attempts: get at the harness (pid 1): PTRACE_SEIZE and INTERRUPT, reading its memory, stealing its command and record pipes with pidfd_getfd, /proc/1/mem
# tests: probe seize-harness interrupt-harness vm-readv-harness steal-harness-fd0 steal-harness-fd1 steal-harness-fd2 harness-mem
# verdicts: passed / wrong_answer

class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("size", ctypes.c_size_t)]

PTRACE_SEIZE, PTRACE_INTERRUPT, PIDFD_GETFD = 0x4206, 0x4207, 438
buffer = ctypes.create_string_buffer(64)
vector = Iovec(ctypes.cast(buffer, ctypes.c_void_p), 64)
attempt("seize-harness", lambda: call(libc.ptrace, PTRACE_SEIZE, 1, None, None), errno.EPERM)
attempt("interrupt-harness", lambda: call(libc.ptrace, PTRACE_INTERRUPT, 1, None, None), errno.EPERM)
readv = lambda: call(libc.process_vm_readv, 1, ctypes.byref(vector), 1, ctypes.byref(vector), 1, 0)
attempt("vm-readv-harness", readv, errno.EPERM)
pidfd = os.pidfd_open(1)
for fd in (0, 1, 2):
    attempt(f"steal-harness-fd{fd}", lambda: syscall(PIDFD_GETFD, pidfd, fd, 0), errno.EPERM)
attempt("harness-mem", lambda: open("/proc/1/mem", "rb"), errno.ENOENT)
