# category: network
# attempts: raw IP sockets (IPv4 and IPv6), a link-layer packet socket and an unprivileged ping socket
# tests: probe raw-icmp raw-tcp-v6 packet ping
# verdicts: passed / wrong_answer

import socket

ETH_P_ALL = 3
attempt("raw-icmp", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP), errno.EPERM)
attempt("raw-tcp-v6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP), errno.EPERM)
attempt("packet", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)), errno.EPERM, errno.EAFNOSUPPORT)
attempt("ping", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP), errno.EACCES, errno.EPERM)
