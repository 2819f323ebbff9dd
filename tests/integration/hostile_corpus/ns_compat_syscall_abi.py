# category: namespaces
# attempts: slip unshare, ptrace and mount past the seccomp filter through the 32-bit (int 0x80) and x32 system call ABIs, whose numbers differ from x86_64's
# tests: probe i386-unshare i386-ptrace i386-mount x32-unshare
# verdicts: passed / wrong_answer
# arch: x86_64

import mmap
import signal
import struct

def int80(number, a, b):
    # push rbx; mov eax, number; mov ebx, a; mov ecx, b; xor edx, edx; int 0x80; pop rbx; ret
    code = b"\x53\xb8" + struct.pack("<I", number) + b"\xbb" + struct.pack("<I", a)
    code += b"\xb9" + struct.pack("<I", b) + b"\x31\xd2\xcd\x80\x5b\xc3"
    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    return ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))()

def compat(number, a=0, b=0):
    # In a child: the filter may kill the process instead of failing the call.
    pid = os.fork()
    if pid == 0:
        result = int80(number, a, b)
        os._exit(0 if result >= 0 else min(-result, 255))
    status = os.waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSYS:
        raise OSError(errno.EPERM, "killed by seccomp")
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise OSError(code, os.strerror(code))

X32 = 0x40000000
attempt("i386-unshare", lambda: compat(310, 0x00020000), errno.EPERM)
attempt("i386-ptrace", lambda: compat(26, 16, 1), errno.EPERM)
attempt("i386-mount", lambda: compat(21), errno.EPERM)
attempt("x32-unshare", lambda: syscall(X32 | 272, 0x00020000), errno.EPERM, errno.ENOSYS)
