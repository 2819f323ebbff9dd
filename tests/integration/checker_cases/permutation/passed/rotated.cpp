#include <cstdio>
int main() {
    int n;
    std::scanf("%d", &n);
    for (int i = 0; i < n; i++) std::printf("%d\n", (i + 1) % n + 1);
}
