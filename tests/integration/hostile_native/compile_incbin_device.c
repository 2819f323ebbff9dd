// attack: pull a device into the object file with the assembler's .incbin
// tests: compile_error
// message: /dev/zero

__asm__(".incbin \"/dev/zero\"");

int main(void) { return 0; }
