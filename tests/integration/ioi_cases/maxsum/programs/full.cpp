// Kadane's walk in 64 bits: every subtask.
#include <algorithm>
#include <vector>

#include "task.h"

long long solve(int n, std::vector<int> a) {
    long long best = a[0], run = 0;
    for (int x : a) {
        run = std::max<long long>(x, run + x);
        best = std::max(best, run);
    }
    return best;
}
