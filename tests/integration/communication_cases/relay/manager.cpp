// relay's manager.  Run 0 (Alice) is told the secret x, the test's input, and answers with
// a message: one line of 0s and 1s.  Run 1 (Bob) is given that message and must answer x.
// Score: 1 when Bob answers x and the message has at most 20 bits; 0.5 when he answers x
// from a longer message (at most 64 bits); 0 otherwise.  Its arguments are the pipes'
// paths: from Alice, to Alice, from Bob, to Bob.  The score goes to stdout, why to stderr.
#include <cstdio>
#include <string>

namespace {

const size_t kMostBits = 64;

// A line of at most `most` characters from `in`, without its newline; false when the line
// is longer or the input ends before any character.
bool read_line(FILE *in, size_t most, std::string &line) {
    line.clear();
    int c;
    while ((c = std::fgetc(in)) != EOF && c != '\n') {
        if (line.size() == most) return false;
        line.push_back(static_cast<char>(c));
    }
    return c == '\n' || !line.empty();
}

int score(double value, const char *why, long long x) {
    std::printf("%g\n", value);
    std::fprintf(stderr, "x = %lld: %s\n", x, why);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "relay's manager talks with two runs, not %d\n", (argc - 1) / 2);
        return 1;
    }
    long long x = 0;
    if (std::scanf("%lld", &x) != 1) {
        std::fprintf(stderr, "no secret in the test's input\n");
        return 1;
    }
    FILE *from_alice = std::fopen(argv[1], "r"), *to_alice = std::fopen(argv[2], "w");
    FILE *from_bob = std::fopen(argv[3], "r"), *to_bob = std::fopen(argv[4], "w");
    if (!from_alice || !to_alice || !from_bob || !to_bob) {
        std::perror("relay's manager cannot open its pipes");
        return 1;
    }
    std::fprintf(to_alice, "%lld\n", x);
    std::fclose(to_alice);
    std::string message;
    if (!read_line(from_alice, kMostBits, message)) {
        return score(0, "Alice's message is missing or over 64 bits", x);
    }
    if (message.empty() || message.find_first_not_of("01") != std::string::npos) {
        return score(0, "Alice's message is not a line of bits", x);
    }
    std::fprintf(to_bob, "%s\n", message.c_str());
    std::fclose(to_bob);
    long long guess = 0;
    if (std::fscanf(from_bob, "%lld", &guess) != 1) return score(0, "Bob answered nothing", x);
    if (guess != x) return score(0, "Bob answered something else", x);
    if (message.size() > 20) return score(0.5, "right, from more than 20 bits", x);
    return score(1, "right", x);
}
