# category: network
# attempts: the cloud metadata service, private addresses of a cluster and a Docker host, and public IPv4 and IPv6 addresses
# tests: probe metadata private-10 docker-host public-v4 public-v6
# verdicts: passed / wrong_answer

import socket

targets = {
    "metadata": ("169.254.169.254", 80),
    "private-10": ("10.0.0.1", 6379),
    "docker-host": ("172.17.0.1", 2375),
    "public-v4": ("1.1.1.1", 443),
    "public-v6": ("2606:4700:4700::1111", 443),
}
for name, address in targets.items():
    attempt(name, lambda: socket.create_connection(address, timeout=1).close(), errno.ENETUNREACH)
