// The distinct values of a list, in any order.  Input: n and n integers.  The answer: the
// count of distinct values, then the values.  Output: the count, then the values in any order.
#include <set>

#include "checklib.h"

int main(int argc, char** argv) {
    if (argc < 4) quit(FAILED, "usage: checker input output answer");
    Stream output = open_stream(argv[2], PRESENTATION, "output");
    Stream answer = open_stream(argv[3], FAILED, "answer");
    const long long big = 1000000000000000000LL;
    long long count = read_integer(answer, 0, 1000000);
    std::set<long long> wanted;
    for (long long i = 0; i < count; i++) wanted.insert(read_integer(answer, -big, big));
    if (static_cast<long long>(wanted.size()) != count) quit(FAILED, "the answer repeats a value");
    long long given = read_integer(output, 0, 1LL << 40);
    if (given != count) quit(WRONG, "%lld values; there are %lld", given, count);
    std::set<long long> seen;
    for (long long i = 0; i < count; i++) {
        long long value = read_integer(output, -big, big);
        if (!wanted.count(value)) quit(WRONG, "%lld is not in the list", value);
        if (!seen.insert(value).second) quit(WRONG, "%lld is given twice", value);
    }
    expect_end(output);
    quit(ACCEPTED, "the %lld distinct values", count);
}
