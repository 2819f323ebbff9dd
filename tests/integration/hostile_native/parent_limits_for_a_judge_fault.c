// attack: lower the descriptor limit of the process serving the submission, so that the next test cannot be handed over and the submission ends as a judge fault (never scored) instead of a verdict
// tests: bomb
// verdicts: wrong_answer / passed

#include "probe.h"

int main(void) {
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin)) return 1;
    if (strcmp(line, "bomb\n") == 0) {
        struct rlimit few = {4, 4};
        prlimit(getppid(), RLIMIT_NOFILE, &few, 0);
        puts("0");
        return 0;
    }
    printf("%d\n", 2 * atoi(line));
    return 0;
}
