#include <cstdio>

int main() {
    long n, limit, low = 1, high, reply;
    if (std::scanf("%ld %ld", &n, &limit) != 2) return 1;
    high = n;
    while (low < high) {
        long middle = (low + high + 1) / 2;
        std::printf("? %ld\n", middle);
        std::fflush(stdout);
        if (std::scanf("%ld", &reply) != 1) return 1;
        if (reply == 1) low = middle; else high = middle - 1;
    }
    std::printf("! %ld\n", low);
    return 0;
}
