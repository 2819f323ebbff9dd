// attack: reach the host's loopback listeners (TCP, UDP, an abstract unix name), its address on the default route, Redis and the outside world
// tests: probe tcp-host-loopback tcp-v6-loopback tcp-redis tcp-host-address tcp-outside udp-outside udp-host-loopback=sent unix-abstract-host

#include "probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

static long tcp(int family, const char *host, int port) {
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons(port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    long rc;
    if (family == AF_INET) {
        inet_pton(AF_INET, host, &v4.sin_addr);
        rc = connect(fd, (struct sockaddr *)&v4, sizeof v4);
    } else {
        inet_pton(AF_INET6, host, &v6.sin6_addr);
        rc = connect(fd, (struct sockaddr *)&v6, sizeof v6);
    }
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

static long udp(const char *host, int port, int times) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &to.sin_addr);
    long rc = 0;
    for (int i = 0; i < times && rc >= 0; i++) {
        rc = sendto(fd, "escaped", 7, 0, (struct sockaddr *)&to, sizeof to);
    }
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

static long unix_abstract(const char *name) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un to = {.sun_family = AF_UNIX};
    size_t length = strlen(name);
    memcpy(to.sun_path + 1, name, length);  // sun_path[0] == 0: the abstract namespace
    long rc = connect(fd, (struct sockaddr *)&to, offsetof(struct sockaddr_un, sun_path) + 1 + length);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int main(void) {
    ATTEMPT("tcp-host-loopback", ECONNREFUSED, tcp(AF_INET, "127.0.0.1", @TCP_PORT@));
    ATTEMPT("tcp-v6-loopback", 0, tcp(AF_INET6, "::1", @TCP_PORT@));
    ATTEMPT("tcp-redis", ECONNREFUSED, tcp(AF_INET, "127.0.0.1", 6379));
    ATTEMPT("tcp-host-address", ENETUNREACH, tcp(AF_INET, "@HOST_ADDRESS@", @HOST_PORT@));
    ATTEMPT("tcp-outside", ENETUNREACH, tcp(AF_INET, "1.1.1.1", 53));
    ATTEMPT("udp-outside", ENETUNREACH, udp("8.8.8.8", 53, 1));
    // The jail's own loopback takes it: the host checks that nothing arrived.
    say("udp-host-loopback", udp("127.0.0.1", @UDP_PORT@, 20) >= 0 ? "sent" : "refused");
    ATTEMPT("unix-abstract-host", ECONNREFUSED, unix_abstract("@UNIX_NAME@"));
    return 0;
}
