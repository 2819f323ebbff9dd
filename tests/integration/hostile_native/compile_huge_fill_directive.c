// attack: an assembler .fill directive of 2 GiB
// tests: compile_error
// message: File size limit exceeded

__asm__(".data\n.fill 0x7fffffff, 1, 1\n.text");

int main(void) { return 0; }
