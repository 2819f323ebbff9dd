// attack: #include the compiler's own environment
// tests: compile_error
// message: /proc/self/environ: No such file or directory

#include "/proc/self/environ"

int main(void) { return 0; }
