# category: network
# attempts: UDP round trips to the host's loopback receiver (IPv4 and IPv6), a broadcast and a multicast datagram
# tests: probe udp-listener udp-listener-v6 udp-broadcast udp-multicast
# verdicts: passed / wrong_answer

import socket

def round_trip(family, host, port=@UDP_PORT@):
    # Inside the jail's own network the port is closed: the reply is "refused". A datagram
    # that reached the host's receiver would get no reply at all and time out instead.
    # A socket whose own port the kernel happened to pick equal to the target's would talk to
    # itself (the port is the host listener's, from the same ephemeral range): pick again.
    for _ in range(8):
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(1)
            sock.connect((host, port))
            if sock.getsockname()[1] == port:
                continue
            sock.send(b"@MARKER@")
            sock.recv(64)
            return

def send(host, **options):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for option, value in options.items():
            sock.setsockopt(socket.SOL_SOCKET, getattr(socket, option), value)
        sock.sendto(b"@MARKER@", (host, @UDP_PORT@))

attempt("udp-listener", lambda: round_trip(socket.AF_INET, "127.0.0.1"), errno.ECONNREFUSED)
attempt("udp-listener-v6", lambda: round_trip(socket.AF_INET6, "::1"), errno.ECONNREFUSED)
attempt("udp-broadcast", lambda: send("255.255.255.255", SO_BROADCAST=1), errno.ENETUNREACH)
attempt("udp-multicast", lambda: send("224.0.0.1"), errno.ENETUNREACH)
