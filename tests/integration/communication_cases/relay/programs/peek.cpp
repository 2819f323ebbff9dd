// Bob looks for x anywhere but in the message: every descriptor he holds, the files the
// test's input or answer might be in, the manager's and Alice's processes (other jails, so
// not in his /proc), and the folders around him; he answers the first number he finds in
// a file that is not his own message.  Alice sends nothing.  Scores 0.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static long long number_in(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return -1;
    char buffer[256] = {0};
    ssize_t got = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (got <= 0) return -1;
    char *end = nullptr;
    long long value = std::strtoll(buffer, &end, 10);
    return end != buffer && value > 0 ? value : -1;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 0) return 0;
    const char *places[] = {"/dev/fd/3", "/dev/fd/4", "/dev/fd/5", "/dev/fd/7", "/dev/fd/8",
                            "/proc/1/fd/3", "/proc/1/fd/5", "/tmp/input", "/tmp/answer",
                            "/code/input", "/code/answer", "/proc/2/fd/0", "/proc/3/fd/0"};
    for (const char *place : places) {
        long long value = number_in(place);
        if (value > 0) {
            std::printf("%lld\n", value);
            return 0;
        }
    }
    for (const char *root : {"/proc", "/tmp", "/code", "/"}) {
        DIR *dir = opendir(root);
        if (!dir) continue;
        while (dirent *entry = readdir(dir)) {
            std::string path = std::string(root) + "/" + entry->d_name;
            long long value = number_in((path + "/fd/0").c_str());
            if (value < 0) value = number_in(path.c_str());
            if (value > 0) {
                std::printf("%lld\n", value);
                return 0;
            }
        }
        closedir(dir);
    }
    std::printf("0\n");
    return 0;
}
