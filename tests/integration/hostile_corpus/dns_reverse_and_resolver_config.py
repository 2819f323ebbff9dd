# category: dns
# attempts: reverse lookups, an IPv6-only lookup, and the resolver's configuration files
# tests: probe reverse-1.1.1.1 nameinfo-8.8.8.8 resolve-v6-only resolv-conf nsswitch
# verdicts: passed / wrong_answer

import socket

attempt("reverse-1.1.1.1", lambda: socket.gethostbyaddr("1.1.1.1"))
attempt("nameinfo-8.8.8.8", lambda: socket.getnameinfo(("8.8.8.8", 53), socket.NI_NAMEREQD))
attempt("resolve-v6-only", lambda: socket.getaddrinfo("dns.google", 53, socket.AF_INET6))
attempt("resolv-conf", lambda: open("/etc/resolv.conf").read(), errno.ENOENT)
attempt("nsswitch", lambda: open("/etc/nsswitch.conf").read(), errno.ENOENT)
