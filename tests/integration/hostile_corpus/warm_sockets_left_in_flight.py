# category: network
# attempts: outlive the kill of every process with sockets only in flight (an SCM_RIGHTS cycle the kernel's unix garbage collector frees later) and sockets in TIME_WAIT, whose abstract names and ports the next submission in a warm jail could find
# tests: secret-stdio
# verdicts: wrong_answer / wrong_answer

import array
import socket

held = []
for bit in range(8):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:  # the first test's sockets are still there in the second: its own
        s.bind(b"\0@MARKER@-%d" % bit)
    except OSError:
        s.close()
        continue
    s.listen()
    held.append(s)
try:
    listener = socket.create_server(("127.0.0.1", 0))
    held.append(listener)
    client = socket.create_connection(listener.getsockname(), timeout=1)
    accepted, _ = listener.accept()
    accepted.close()  # the closing side waits in TIME_WAIT
    client.close()
except OSError:
    pass
left, right = socket.socketpair()
fds = array.array("i", [left.fileno(), right.fileno()] + [s.fileno() for s in held])
left.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
for s in held + [left, right]:
    s.close()
print("planted")
