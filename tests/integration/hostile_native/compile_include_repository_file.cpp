// attack: #include a file of the repository that runs the judge, by its absolute path
// tests: compile_error
// message: @REPO@/workers/judge/settings.py: No such file or directory

#include <@REPO@/workers/judge/settings.py>

int main() { return 0; }
