// maxsum's grader: reads n and a, calls the contestant's solve in Crucible's isolated
// child, prints what it returned.  Only this process can write the program's output.
#include <cstdio>
#include <vector>

#include "crucible_grader.h"
#include "task.h"

int main() {
    int n = 0;
    if (std::scanf("%d", &n) != 1 || n < 1) return 1;
    std::vector<int> a(n);
    for (int &x : a) {
        if (std::scanf("%d", &x) != 1) return 1;
    }
    long long answer = crucible_isolated([&] { return solve(n, a); });
    std::printf("%lld\n", answer);
    return 0;
}
