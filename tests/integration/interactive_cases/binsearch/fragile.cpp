// A badly written Kattis interactor: where it should reject, it crashes.  Only the judge's
// verdict rule stands between it and a program that makes it crash.
#include <cstdlib>

#include "game.h"

void end(bool accepted, const char* why) {
    if (!accepted) std::abort();
    (void)why;
    std::exit(42);
}

int main(int argc, char** argv) {
    Game game{};
    FILE* input = argc > 3 ? std::fopen(argv[1], "r") : nullptr;
    if (!input || std::fscanf(input, "%ld %ld %ld", &game.n, &game.hidden, &game.limit) != 3) {
        return 1;
    }
    play(game);
}
