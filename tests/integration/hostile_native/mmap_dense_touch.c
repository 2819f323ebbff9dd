// attack: reserve a terabyte of address space (MAP_NORESERVE) and touch every page of it
// tests: bomb
// verdicts: memory_limit / passed

#include "probe.h"

int main(void) {
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin)) return 1;
    if (strcmp(line, "bomb\n") == 0) {
        size_t terabyte = 1UL << 40;
        char *space = mmap(0, terabyte, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        for (size_t offset = 0; space != MAP_FAILED && offset < terabyte; offset += 4096) {
            space[offset] = 1;
        }
        puts("0");
        return 0;
    }
    printf("%d\n", 2 * atoi(line));
    return 0;
}
