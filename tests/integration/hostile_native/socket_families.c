// attack: sockets of the families the policy refuses (packet, vsock, alg and other kernel surface, a family with high bits set), packet and raw sockets through AF_INET, and netlink requests that change the network
// tests: probe packet packet-high-bits vsock alg tipc rds bluetooth pfkey can xdp inet-sock-packet raw-inet raw-inet6 ping-icmp netlink-link-up netlink-add-address netlink-audit

#include "probe.h"

#include <arpa/inet.h>
#include <linux/audit.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>

// A netlink request and the kernel's answer: -1 with the error it acked, or 0.
static long netlink(int protocol, void *request, size_t size) {
    int fd = socket(AF_NETLINK, SOCK_RAW, protocol);
    if (fd < 0) return -1;
    long rc = send(fd, request, size, 0);
    char answer[4096];
    long got = rc < 0 ? -1 : recv(fd, answer, sizeof answer, MSG_DONTWAIT);
    int err = errno;
    close(fd);
    if (rc < 0 || got < 0) {
        errno = err;
        return -1;
    }
    struct nlmsghdr *head = (struct nlmsghdr *)answer;
    if (head->nlmsg_type == NLMSG_ERROR) {
        int acked = ((struct nlmsgerr *)NLMSG_DATA(head))->error;
        errno = -acked;
        return acked ? -1 : 0;
    }
    return 0;
}

static long link_up(void) {
    struct {
        struct nlmsghdr head;
        struct ifinfomsg info;
    } request = {
        .head = {.nlmsg_len = sizeof request, .nlmsg_type = RTM_NEWLINK,
                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK},
        .info = {.ifi_family = AF_UNSPEC, .ifi_index = 1, .ifi_flags = 0, .ifi_change = IFF_UP},
    };
    return netlink(NETLINK_ROUTE, &request, sizeof request);
}

static long add_address(void) {
    struct {
        struct nlmsghdr head;
        struct ifaddrmsg address;
        struct rtattr attribute;
        struct in_addr value;
    } request = {
        .head = {.nlmsg_len = sizeof request, .nlmsg_type = RTM_NEWADDR,
                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE},
        .address = {.ifa_family = AF_INET, .ifa_prefixlen = 8, .ifa_index = 1},
        .attribute = {.rta_len = RTA_LENGTH(sizeof(struct in_addr)), .rta_type = IFA_LOCAL},
    };
    inet_pton(AF_INET, "10.1.2.3", &request.value);
    return netlink(NETLINK_ROUTE, &request, sizeof request);
}

static long audit_status(void) {
    struct nlmsghdr request = {.nlmsg_len = sizeof request, .nlmsg_type = AUDIT_GET,
                               .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK};
    return netlink(NETLINK_AUDIT, &request, sizeof request);
}

int main(void) {
    ATTEMPT("packet", EAFNOSUPPORT, socket(AF_PACKET, SOCK_RAW, 0));
    // The kernel reads an int: a filter that compared only the low bits would let this by.
    ATTEMPT("packet-high-bits", EAFNOSUPPORT, syscall(SYS_socket, (1L << 32) | AF_PACKET, SOCK_RAW, 0));
    ATTEMPT("vsock", EAFNOSUPPORT, socket(40, SOCK_STREAM, 0));
    ATTEMPT("alg", EAFNOSUPPORT, socket(38, SOCK_SEQPACKET, 0));
    ATTEMPT("tipc", EAFNOSUPPORT, socket(30, SOCK_RDM, 0));
    ATTEMPT("rds", EAFNOSUPPORT, socket(21, SOCK_SEQPACKET, 0));
    ATTEMPT("bluetooth", EAFNOSUPPORT, socket(31, SOCK_RAW, 0));
    ATTEMPT("pfkey", EAFNOSUPPORT, socket(15, SOCK_RAW, 2));
    ATTEMPT("can", EAFNOSUPPORT, socket(29, SOCK_RAW, 1));
    ATTEMPT("xdp", EAFNOSUPPORT, socket(44, SOCK_RAW, 0));
    // The kernel turns (AF_INET, SOCK_PACKET) into a packet socket after the filter ran:
    // no capability in the jail, so it still fails.
    ATTEMPT("inet-sock-packet", EPERM, socket(AF_INET, SOCK_PACKET, htons(3)));
    ATTEMPT("raw-inet", EPERM, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
    ATTEMPT("raw-inet6", EPERM, socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
    ATTEMPT("ping-icmp", EACCES, socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    ATTEMPT("netlink-link-up", EPERM, link_up());
    ATTEMPT("netlink-add-address", EPERM, add_address());
    ATTEMPT("netlink-audit", 0, audit_status());
    return 0;
}
