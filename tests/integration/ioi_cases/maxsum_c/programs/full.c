/* Kadane's walk in 64 bits: every subtask. */
#include "task.h"

long long solve(int n, const int *a) {
    long long best = a[0], run = 0;
    for (int i = 0; i < n; i++) {
        run = run + a[i] > a[i] ? run + a[i] : a[i];
        if (run > best) best = run;
    }
    return best;
}
