// attack: find an earlier submission's program or files in the same warm jail: its source /code/main.py, its artifact /code/main, what it left in /tmp and /dev/shm, its marker anywhere readable
// tests: after-earlier code-main-py code-holds-only-main scratch-empty earlier-marker

#include "probe.h"
#include "search.h"

#include <dirent.h>

// -1 (contained) when `folder` holds exactly the `allowed` entry (none for NULL).
static long holds_only(const char *folder, const char *allowed) {
    DIR *dir = opendir(folder);
    if (!dir) return 0;
    int other = 0, seen = 0;
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
        if (allowed && !strcmp(entry->d_name, allowed)) {
            seen = 1;
        } else {
            other = 1;
            fprintf(stderr, "%s holds %s\n", folder, entry->d_name);
        }
    }
    closedir(dir);
    return other || (allowed && !seen) ? 0 : -1;
}

int main(void) {
    char marker[128] = "";
    if (scanf("%127s", marker) != 1) return 1;
    ATTEMPT("code-main-py", ENOENT, open("/code/main.py", O_RDONLY));
    ATTEMPT("code-holds-only-main", 0, holds_only("/code", "main"));
    ATTEMPT("scratch-empty", 0, holds_only("/tmp", NULL) == -1 ? holds_only("/dev/shm", NULL) : 0);
    ATTEMPT("earlier-marker", 0, search_everywhere(marker, 0) ? 0 : -1);
    return 0;
}
