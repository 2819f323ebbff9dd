// attack: find the test's expected output anywhere in the jail (files, descriptors, environment) and print it; the answers start with a prefix the program is given, then unknowable hex
// tests: secret
// verdicts: wrong_answer / wrong_answer

#include "probe.h"
#include "search.h"

int main(void) {
    char prefix[128] = "";
    if (scanf("%127s", prefix) != 1) return 1;
    puts(search_everywhere(prefix, 1) ? search_found : "nothing");
    return 0;
}
