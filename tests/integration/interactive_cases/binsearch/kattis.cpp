// A Kattis interactive validator: validator input answer feedback_dir.
#include <cstdlib>
#include <string>

#include "game.h"

static std::string feedback;

void end(bool accepted, const char* why) {
    if (FILE* message = std::fopen((feedback + "/judgemessage.txt").c_str(), "w")) {
        std::fputs(why, message);
        std::fclose(message);
    }
    std::exit(accepted ? 42 : 43);
}

int main(int argc, char** argv) {
    Game game{};
    FILE* input = argc > 3 ? std::fopen(argv[1], "r") : nullptr;
    if (!input || std::fscanf(input, "%ld %ld %ld", &game.n, &game.hidden, &game.limit) != 3) {
        return 1;  // neither 42 nor 43: the judge's fault
    }
    feedback = argv[3];
    play(game);
}
