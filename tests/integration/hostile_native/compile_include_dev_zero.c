// attack: #include a device that never ends: /dev/zero
// tests: compile_error
// message: /dev/zero: No such file or directory

#include "/dev/zero"

int main(void) { return 0; }
