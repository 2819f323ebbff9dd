// attack: #include a host file, so that the compiler's error messages quote it
// tests: compile_error
// message: /etc/passwd: No such file or directory

#include "/etc/passwd"

int main(void) { return 0; }
