// attack: kill(-1, SIGSTOP): pause every process the program may signal, the one that serves its submission included, so that grading hangs
// tests: bomb
// verdicts: runtime_error / skipped passed

#include "probe.h"

int main(void) {
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin)) return 1;
    if (strcmp(line, "bomb\n") == 0) {
        kill(-1, SIGSTOP);
        puts("0");
        return 0;
    }
    printf("%d\n", 2 * atoi(line));
    return 0;
}
