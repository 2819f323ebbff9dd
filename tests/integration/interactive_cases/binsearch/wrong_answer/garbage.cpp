// Answers in a language of its own, then waits for a reply that never comes.
#include <cstdio>

int main() {
    std::printf("hello there\n");
    std::fflush(stdout);
    char word[64];
    while (std::scanf("%63s", word) == 1) {
    }
    return 0;
}
