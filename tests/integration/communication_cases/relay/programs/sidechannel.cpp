// Alice sends a one-bit message and tries to hand Bob x another way: files in /tmp and
// /dev/shm, and an abstract Unix socket she serves for a while.  Bob looks in each place.
// Every run has its own jail (its own scratch mounts and network namespace), so Bob finds
// nothing.  Scores 0.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

static const char kName[] = "\0crucible-relay";

static sockaddr_un address() {
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    std::memcpy(where.sun_path, kName, sizeof kName);
    return where;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    sockaddr_un where = address();
    socklen_t size = offsetof(sockaddr_un, sun_path) + sizeof kName;
    if (std::atoi(argv[1]) == 0) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        for (const char *path : {"/tmp/relay-secret", "/dev/shm/relay-secret"}) {
            if (FILE *out = std::fopen(path, "w")) {
                std::fprintf(out, "%lld\n", x);
                std::fclose(out);
            }
        }
        std::printf("1\n");
        std::fflush(stdout);
        int server = socket(AF_UNIX, SOCK_STREAM, 0);
        if (server >= 0 && bind(server, reinterpret_cast<sockaddr *>(&where), size) == 0 &&
            listen(server, 1) == 0) {
            alarm(1);
            int peer = accept(server, nullptr, nullptr);
            if (peer >= 0) dprintf(peer, "%lld\n", x);
        }
        return 0;
    }
    char bits[128];
    if (std::scanf("%127s", bits) != 1) return 1;
    long long found = 0;
    for (const char *path : {"/tmp/relay-secret", "/dev/shm/relay-secret"}) {
        if (FILE *in = std::fopen(path, "r")) {
            if (std::fscanf(in, "%lld", &found) == 1) break;
        }
    }
    for (int attempt = 0; found == 0 && attempt < 20; ++attempt) {
        int client = socket(AF_UNIX, SOCK_STREAM, 0);
        if (client >= 0 && connect(client, reinterpret_cast<sockaddr *>(&where), size) == 0) {
            char line[64] = {0};
            if (read(client, line, sizeof line - 1) > 0) found = std::atoll(line);
        }
        if (client >= 0) close(client);
        usleep(20000);
    }
    std::printf("%lld\n", found);
    return 0;
}
