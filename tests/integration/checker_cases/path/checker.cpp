// Any shortest path from s to t is right.  Input: n m, m undirected edges, then s t.  The
// answer: the number of edges of a shortest path, or -1 when t cannot be reached.  Output:
// -1, or the path's vertex count k and its k vertices, s first and t last.
#include <set>
#include <utility>

#include "checklib.h"

int main(int argc, char** argv) {
    if (argc < 4) quit(FAILED, "usage: checker input output answer");
    Stream input = open_stream(argv[1], FAILED, "input");
    Stream output = open_stream(argv[2], PRESENTATION, "output");
    Stream answer = open_stream(argv[3], FAILED, "answer");
    long long n = read_integer(input, 1, 100000), m = read_integer(input, 0, 200000);
    std::set<std::pair<long long, long long>> edges;
    for (long long i = 0; i < m; i++) {
        long long u = read_integer(input, 1, n), v = read_integer(input, 1, n);
        edges.insert({u, v});
        edges.insert({v, u});
    }
    long long s = read_integer(input, 1, n), t = read_integer(input, 1, n);
    long long shortest = read_integer(answer, -1, n - 1);
    long long k = read_integer(output, -1, 1LL << 40);
    if (shortest == -1 || k == -1) {
        if (shortest != k) quit(WRONG, shortest == -1 ? "t cannot be reached" : "t can be reached");
        expect_end(output);
        quit(ACCEPTED, "no path, rightly");
    }
    if (k != shortest + 1) quit(WRONG, "a path of %lld vertices; the shortest has %lld", k, shortest + 1);
    long long previous = 0;
    for (long long i = 0; i < k; i++) {
        long long vertex = read_integer(output, 1, n);
        if (i == 0 && vertex != s) quit(WRONG, "the path starts at %lld, not at %lld", vertex, s);
        if (i > 0 && !edges.count({previous, vertex}))
            quit(WRONG, "no edge from %lld to %lld", previous, vertex);
        previous = vertex;
    }
    if (previous != t) quit(WRONG, "the path ends at %lld, not at %lld", previous, t);
    expect_end(output);
    quit(ACCEPTED, "a shortest path of %lld edges", shortest);
}
