// attack: #include the compiler's own environment, to carry it into the program
// tests: probe environ-empty=yes

// The compile jail mounts a pid-only /proc (a JDK's loader needs /proc/self/exe): its files
// have no size, so the include reads as nothing, and the environment is the jail's own
// (PATH, HOME, TMPDIR, LANG) in any case.
#include <stdio.h>

static const char leaked[] = ""
#include "/proc/self/environ"
    ;

int main(void) {
    printf("environ-empty %s\n", sizeof leaked == 1 ? "yes" : "no");
    return 0;
}
