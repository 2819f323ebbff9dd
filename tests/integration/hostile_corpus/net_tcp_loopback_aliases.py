# category: network
# attempts: reach the host's loopback listener and Redis through every spelling of this machine: 127.0.0.2, 0.0.0.0, an IPv4-mapped IPv6 address, and a Redis SET of the marker
# tests: probe tcp-127.0.0.2 tcp-0.0.0.0 tcp-v4-mapped-v6 tcp-127.1 redis-set
# verdicts: passed / wrong_answer

import socket

refused = (errno.ECONNREFUSED, errno.ENETUNREACH)

def connect(host, port=@TCP_PORT@):
    socket.create_connection((host, port), timeout=1).close()

def redis_set():
    with socket.create_connection(("127.0.0.1", @REDIS_PORT@), timeout=1) as conn:
        conn.sendall(b"SET @MARKER@ escaped\r\n")
        conn.recv(64)

attempt("tcp-127.0.0.2", lambda: connect("127.0.0.2"), *refused)
attempt("tcp-0.0.0.0", lambda: connect("0.0.0.0"), *refused)
attempt("tcp-v4-mapped-v6", lambda: connect("::ffff:127.0.0.1"), *refused)
attempt("tcp-127.1", lambda: connect("127.1"), *refused)
attempt("redis-set", redis_set, *refused)
