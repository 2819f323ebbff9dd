/* maxsum's grader in C: reads n and a, calls the contestant's solve in Crucible's isolated
 * child (crucible_call), prints what it returned.  Only this process writes the output. */
#include <stdio.h>
#include <stdlib.h>

#include "crucible_grader.h"
#include "task.h"

struct call {
    int n;
    const int *a;
};

static void call_solve(void *ctx, void *result) {
    const struct call *c = ctx;
    *(long long *)result = solve(c->n, c->a);
}

int main(void) {
    int n = 0;
    if (scanf("%d", &n) != 1 || n < 1) return 1;
    int *a = malloc(sizeof *a * (size_t)n);
    if (!a) return 1;
    for (int i = 0; i < n; i++) {
        if (scanf("%d", &a[i]) != 1) return 1;
    }
    struct call c = {n, a};
    long long answer = 0;
    crucible_call(call_solve, &c, &answer, sizeof answer);
    printf("%lld\n", answer);
    return 0;
}
