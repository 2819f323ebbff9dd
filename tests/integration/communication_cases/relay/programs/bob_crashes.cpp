// Bob aborts after reading the message.  Scores 0: a runtime error, whatever the manager says.
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 0) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        for (int bit = 19; bit >= 0; --bit) std::putchar('0' + ((x >> bit) & 1));
        std::putchar('\n');
        return 0;
    }
    char bits[128];
    if (std::scanf("%127s", bits) != 1) return 1;
    std::abort();
}
