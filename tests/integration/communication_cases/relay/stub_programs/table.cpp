// alice and bob with a table a global's constructor fills: right only if the contestant's
// constructors run before the stub calls it.  Scores 100.
#include <vector>

#include "task.h"

static std::vector<long long> powers = [] {
    std::vector<long long> made;
    for (int bit = 0; bit < 20; ++bit) made.push_back(1LL << bit);
    return made;
}();

void alice(long long x) {
    for (int bit = 19; bit >= 0; --bit) send_bit((x & powers.at(bit)) != 0);
}

long long bob() {
    long long x = 0;
    for (int bit; (bit = next_bit()) >= 0;) x = 2 * x + bit;
    return x;
}
