// Kadane's walk in 32 bits: overflows on the full subtask's large values.
#include <algorithm>
#include <vector>

#include "task.h"

long long solve(int n, std::vector<int> a) {
    int best = a[0], run = 0;
    for (int x : a) {
        run = std::max(x, run + x);
        best = std::max(best, run);
    }
    return best;
}
