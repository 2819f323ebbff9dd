/* maxsum (C): the largest sum of a non-empty contiguous run of a[0..n). */
long long solve(int n, const int *a);
