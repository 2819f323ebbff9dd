// Bob never answers: he spins.  Scores 0: a time limit, never a hang.
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 0) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        std::printf("1\n");
        return 0;
    }
    volatile unsigned long spin = 0;
    for (;;) ++spin;
}
