# category: ptrace
# attempts: inspect its own child without ptrace(ATTACH): PTRACE_TRACEME, process_vm_readv and process_vm_writev, stealing a descriptor with pidfd_getfd
# tests: probe traceme vm-readv-child vm-writev-child getfd-child
# verdicts: passed / wrong_answer

import signal
import time

class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("size", ctypes.c_size_t)]

child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)

def traceme():
    pid = os.fork()
    if pid == 0:
        try:
            call(libc.ptrace, 0, 0, None, None)
        except OSError as exc:
            os._exit(exc.errno)
        os._exit(0)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code:
        raise OSError(code, os.strerror(code))

buffer = ctypes.create_string_buffer(64)
vector = Iovec(ctypes.cast(buffer, ctypes.c_void_p), 64)  # the same address in the child
vm = lambda fn: call(fn, child, ctypes.byref(vector), 1, ctypes.byref(vector), 1, 0)
PIDFD_GETFD = 438
attempt("traceme", traceme, errno.EPERM)
attempt("vm-readv-child", lambda: vm(libc.process_vm_readv), errno.EPERM)
attempt("vm-writev-child", lambda: vm(libc.process_vm_writev), errno.EPERM)
attempt("getfd-child", lambda: syscall(PIDFD_GETFD, os.pidfd_open(child), 0, 0), errno.EPERM)
os.kill(child, signal.SIGKILL)
os.waitpid(child, 0)
