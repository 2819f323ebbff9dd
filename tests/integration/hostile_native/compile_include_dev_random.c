// attack: #include a device that never ends: /dev/random
// tests: compile_error
// message: /dev/random: No such file or directory

#include "/dev/random"

int main(void) { return 0; }
