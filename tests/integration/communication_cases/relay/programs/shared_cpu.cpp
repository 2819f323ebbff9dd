// Each run answers right but burns 0.7 s of CPU: within the 1 s limit alone, over it
// together (the runs' CPU time is summed).  Scores 0: a time limit.
#include <cstdio>
#include <cstdlib>
#include <ctime>

static void burn(double seconds) {
    volatile unsigned long spin = 0;
    while (static_cast<double>(std::clock()) / CLOCKS_PER_SEC < seconds) ++spin;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    burn(0.7);
    if (std::atoi(argv[1]) == 0) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        for (int bit = 19; bit >= 0; --bit) std::putchar('0' + ((x >> bit) & 1));
        std::putchar('\n');
    } else {
        char bits[128];
        if (std::scanf("%127s", bits) != 1) return 1;
        std::printf("%lld\n", std::strtoll(bits, nullptr, 2));
    }
    return 0;
}
