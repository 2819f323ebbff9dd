// attack: a chain of vfork(2) children, each suspending its parent, until the pids limit refuses, then spinning
// tests: bomb
// verdicts: time_limit / passed

#include "probe.h"

int main(void) {
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin)) return 1;
    if (strcmp(line, "bomb\n") == 0) {
        for (;;) {
            if (vfork() < 0) {
                for (;;) {
                }
            }
        }
    }
    printf("%d\n", 2 * atoi(line));
    return 0;
}
