# category: dns
# attempts: resolve the names a cluster or a cloud VM answers: metadata, the Kubernetes API, the Docker host, this machine's own name
# tests: probe metadata kubernetes docker-host own-host-name
# verdicts: passed / wrong_answer

import socket

names = {
    "metadata": "metadata.google.internal",
    "kubernetes": "kubernetes.default.svc.cluster.local",
    "docker-host": "host.docker.internal",
    "own-host-name": "@HOST_NAME@",
}
for label, name in names.items():
    attempt(label, lambda: socket.getaddrinfo(name, 443))
