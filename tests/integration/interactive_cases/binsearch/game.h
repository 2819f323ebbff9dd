// The game every interactor here plays: it writes "n limit", answers each "? q" with 1 when
// the hidden number is at least q (else 0), and ends at "! x".  `end` says how it went
// and never returns.  Tokens are read 15 characters at a time at most: a flood of anything
// is read with bounds and rejected.
#include <cstdio>
#include <cstring>

struct Game {
    long n, hidden, limit;
};

[[noreturn]] void end(bool accepted, const char* why);

inline void play(const Game& game) {
    std::printf("%ld %ld\n", game.n, game.limit);
    std::fflush(stdout);
    char word[16];
    long asked = 0, number = 0;
    while (true) {
        if (std::scanf("%15s", word) != 1) end(false, "the program ended before its answer");
        bool question = !std::strcmp(word, "?");
        if (!question && std::strcmp(word, "!")) end(false, "neither '?' nor '!'");
        if (std::scanf("%ld", &number) != 1) end(false, "no number after '?' or '!'");
        if (!question) break;
        if (++asked > game.limit) end(false, "too many questions");
        std::printf("%d\n", game.hidden >= number ? 1 : 0);
        std::fflush(stdout);
    }
    if (number != game.hidden) end(false, "not the hidden number");
    if (std::scanf("%15s", word) == 1) end(false, "output after the answer");
    end(true, "found it");
}
