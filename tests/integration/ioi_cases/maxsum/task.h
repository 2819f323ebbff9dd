// maxsum: the largest sum of a non-empty contiguous run of a.
#include <vector>

long long solve(int n, std::vector<int> a);
