// Searching everything a program can read for a byte string: every regular file outside
// /usr and /proc, every descriptor it holds but stdin, its own environment and arguments.
// The test puts this file in place of a program's `#include "search.h"` line.
#include <ctype.h>
#include <ftw.h>

static const char *search_needle;
static size_t search_length;
static int search_needs_hex;  // a match counts only when a hex digit follows the needle
static char search_found[256];
static char search_where[256];

static int search_hit(const char *text, size_t size, const char *where) {
    for (const char *at = text; (at = memmem(at, size - (size_t)(at - text), search_needle,
                                             search_length));
         at++) {
        size_t rest = size - (size_t)(at - text);
        if (search_needs_hex &&
            (rest <= search_length || !isxdigit((unsigned char)at[search_length]))) {
            continue;
        }
        size_t n = 0;
        while (n < rest && n < sizeof search_found - 1 && at[n] != '\n' && at[n] != 0) n++;
        memcpy(search_found, at, n);
        search_found[n] = 0;
        snprintf(search_where, sizeof search_where, "%s", where);
        return 1;
    }
    return 0;
}

static void search_descriptor(int fd, const char *where) {
    static char buffer[(1 << 16) + 256];
    size_t kept = 0;
    for (off_t offset = 0; offset < (256 << 20) && !search_found[0];) {
        ssize_t n = pread(fd, buffer + kept, sizeof buffer - kept, offset);
        if (n <= 0) return;
        offset += n;
        size_t size = kept + (size_t)n;
        if (search_hit(buffer, size, where)) return;
        kept = size < 200 ? size : 200;  // a match across two reads
        memmove(buffer, buffer + size - kept, kept);
    }
}

static void search_path(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return;
    search_descriptor(fd, path);
    close(fd);
}

static int search_visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)ftw;
    if (type == FTW_D && (!strcmp(path, "/usr") || !strcmp(path, "/proc"))) {
        return FTW_SKIP_SUBTREE;
    }
    if (type == FTW_F && S_ISREG(st->st_mode)) search_path(path);
    return search_found[0] ? FTW_STOP : FTW_CONTINUE;
}

// Whether `needle` is anywhere the program can read; search_found and search_where say what
// and where.
static int search_everywhere(const char *needle, int needs_hex) {
    search_needle = needle;
    search_length = strlen(needle);
    search_needs_hex = needs_hex;
    search_found[0] = 0;
    nftw("/", search_visit, 16, FTW_PHYS | FTW_ACTIONRETVAL);
    char where[64];
    for (int fd = 1; fd < 1024 && !search_found[0]; fd++) {
        snprintf(where, sizeof where, "descriptor %d", fd);
        search_descriptor(fd, where);
    }
    if (!search_found[0]) search_path("/proc/self/environ");
    if (!search_found[0]) search_path("/proc/self/cmdline");
    if (search_found[0]) fprintf(stderr, "found %.80s in %s\n", search_found, search_where);
    return search_found[0] != 0;
}
