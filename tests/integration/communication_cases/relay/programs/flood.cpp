// Alice floods the manager with bits and never ends her line, hoping it breaks (a judge
// fault would be an error, not a 0).  The manager reads a bounded line and rejects.
// Scores 0: a wrong answer.
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 1) return std::scanf("%*s") == 0 ? 0 : 0;
    char block[1 << 16];
    std::memset(block, '1', sizeof block);
    for (;;) {
        if (std::fwrite(block, 1, sizeof block, stdout) != sizeof block) return 0;
    }
}
