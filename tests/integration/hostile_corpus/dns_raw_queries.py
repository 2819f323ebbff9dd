# category: dns
# attempts: hand-made DNS queries over UDP and TCP to public resolvers, systemd-resolved's stub and Docker's embedded resolver
# tests: probe udp-8.8.8.8 udp-127.0.0.53 udp-127.0.0.11 tcp-1.1.1.1 tcp-127.0.0.53
# verdicts: passed / wrong_answer

import socket
import struct

def query(name):
    head = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(part)]) + part.encode() for part in name.split("."))
    return head + labels + b"\0" + struct.pack(">HH", 1, 1)

def over_udp(server):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1)
        sock.connect((server, 53))
        sock.send(query("example.com"))
        sock.recv(512)

def over_tcp(server):
    with socket.create_connection((server, 53), timeout=1) as sock:
        packet = query("example.com")
        sock.sendall(struct.pack(">H", len(packet)) + packet)
        sock.recv(512)

attempt("udp-8.8.8.8", lambda: over_udp("8.8.8.8"), errno.ENETUNREACH)
attempt("udp-127.0.0.53", lambda: over_udp("127.0.0.53"), errno.ECONNREFUSED)
attempt("udp-127.0.0.11", lambda: over_udp("127.0.0.11"), errno.ECONNREFUSED)
attempt("tcp-1.1.1.1", lambda: over_tcp("1.1.1.1"), errno.ENETUNREACH)
attempt("tcp-127.0.0.53", lambda: over_tcp("127.0.0.53"), errno.ECONNREFUSED)
