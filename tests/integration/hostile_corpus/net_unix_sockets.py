# category: network
# attempts: the host's abstract unix socket (stream and datagram) and the well-known unix sockets of Docker, Redis and systemd
# tests: probe abstract-stream abstract-dgram docker-socket redis-socket systemd-private
# verdicts: passed / wrong_answer

import socket

def connect(address, kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_UNIX, kind) as sock:
        sock.settimeout(1)
        sock.connect(address)
        sock.send(b"@MARKER@")

attempt("abstract-stream", lambda: connect("\0@UNIX_NAME@"), errno.ECONNREFUSED)
attempt("abstract-dgram", lambda: connect("\0@UNIX_NAME@", socket.SOCK_DGRAM), errno.ECONNREFUSED)
attempt("docker-socket", lambda: connect("/run/docker.sock"), errno.ENOENT)
attempt("redis-socket", lambda: connect("/run/redis/redis-server.sock"), errno.ENOENT)
attempt("systemd-private", lambda: connect("/run/systemd/private"), errno.ENOENT)
