// attack: a source that #includes itself, forever
// tests: compile_error
// message: #include nested depth

#include "main.c"
