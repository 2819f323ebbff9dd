// Any permutation of 1..n is right: the answer file only confirms n.
#include <vector>

#include "checklib.h"

int main(int argc, char** argv) {
    if (argc < 4) quit(FAILED, "usage: checker input output answer");
    Stream input = open_stream(argv[1], FAILED, "input");
    Stream output = open_stream(argv[2], PRESENTATION, "output");
    Stream answer = open_stream(argv[3], FAILED, "answer");
    long long n = read_integer(input, 1, 1000000);
    if (read_integer(answer, 1, 1000000) != n) quit(FAILED, "the answer is for another n");
    std::vector<bool> seen(n + 1, false);
    for (long long i = 0; i < n; i++) {
        long long value = read_integer(output, -(1LL << 62), 1LL << 62);
        if (value < 1 || value > n) quit(WRONG, "%lld is not in 1..%lld", value, n);
        if (seen[value]) quit(WRONG, "%lld appears twice", value);
        seen[value] = true;
    }
    expect_end(output);
    quit(ACCEPTED, "a permutation of %lld", n);
}
