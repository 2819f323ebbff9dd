// Alice says nothing and exits cleanly; Bob guesses.  Scores 0 (wrong answer, never an error).
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (std::atoi(argv[1]) == 1) std::printf("42\n");
    return 0;
}
