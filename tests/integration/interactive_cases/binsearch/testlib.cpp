// A testlib-protocol interactor: interactor input tout answer; exit 0 accepted, 1 wrong,
// 3 its own failure; the message on stderr.  The hidden number comes from the answer file.
#include <cstdlib>

#include "game.h"

void end(bool accepted, const char* why) {
    std::fprintf(stderr, "%s %s\n", accepted ? "ok" : "wrong answer", why);
    std::exit(accepted ? 0 : 1);
}

int main(int argc, char** argv) {
    Game game{};
    long unused = 0;
    FILE* input = argc > 3 ? std::fopen(argv[1], "r") : nullptr;
    FILE* answer = argc > 3 ? std::fopen(argv[3], "r") : nullptr;
    if (!input || std::fscanf(input, "%ld %ld %ld", &game.n, &unused, &game.limit) != 3 ||
        !answer || std::fscanf(answer, "%ld", &game.hidden) != 1) {
        std::fputs("FAIL cannot read the input or the answer\n", stderr);
        return 3;
    }
    if (FILE* tout = std::fopen(argv[2], "w")) {
        std::fprintf(tout, "%ld\n", game.hidden);
        std::fclose(tout);
    }
    play(game);
}
