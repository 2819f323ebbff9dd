# category: network
# attempts: open an AF_VSOCK socket, the virtual machine's channel to its hypervisor, which network namespaces do not isolate (the socket is only created, never connected)
# tests: probe vsock-stream
# verdicts: passed / wrong_answer

import socket

attempt("vsock-stream", lambda: socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM), errno.EAFNOSUPPORT, errno.EPERM)
