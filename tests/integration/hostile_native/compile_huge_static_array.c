// attack: an initialised 2 GiB static array: an object file far over the compile jail's file size limit
// tests: compile_error
// message: File size limit exceeded

char big[1L << 31] = {1};

int main(int argc, char **argv) {
    (void)argv;
    return big[argc * 12345];
}
