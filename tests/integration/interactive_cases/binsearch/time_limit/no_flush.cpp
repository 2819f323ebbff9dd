// Never flushes: its question stays in its buffer, and both sides wait.
#include <cstdio>

int main() {
    long n, limit, reply;
    if (std::scanf("%ld %ld", &n, &limit) != 2) return 1;
    std::printf("? %ld\n", n);
    if (std::scanf("%ld", &reply) != 1) return 1;
    return 0;
}
