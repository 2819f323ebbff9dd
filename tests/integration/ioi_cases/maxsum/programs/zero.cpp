// Always 0: no subtask.
#include <vector>

#include "task.h"

long long solve(int n, std::vector<int> a) { return 0; }
