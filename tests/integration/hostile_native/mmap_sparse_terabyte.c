// attack: reserve a terabyte of address space (MAP_NORESERVE) and touch one page a gigabyte: allowed, and only the touched pages count
// tests: probe sparse-terabyte=allowed

#include "probe.h"

int main(void) {
    size_t terabyte = 1UL << 40;
    char *space = mmap(0, terabyte, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (space == MAP_FAILED) {
        say("sparse-terabyte", "refused");
        return 0;
    }
    for (size_t offset = 0; offset < terabyte; offset += 1UL << 30) space[offset] = 1;
    say("sparse-terabyte", "allowed");
    return 0;
}
