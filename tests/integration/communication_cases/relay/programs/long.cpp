// Alice writes x in 40 bits, which the manager takes for half the points.  Scores 50.
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 0) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        for (int bit = 39; bit >= 0; --bit) std::putchar('0' + ((x >> bit) & 1));
        std::putchar('\n');
    } else {
        char bits[128];
        if (std::scanf("%127s", bits) != 1) return 1;
        std::printf("%lld\n", std::strtoll(bits, nullptr, 2));
    }
    return 0;
}
