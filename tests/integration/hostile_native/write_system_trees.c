// attack: change the program's own artifact, the harness and the system trees the jail mounts read-only: write, create, chmod, rename, unlink, truncate, link, set times; make a device node in scratch space
// tests: probe code-main-write code-main-truncate code-main-chmod code-main-unlink code-main-rename code-main-utimes code-create code-link harness-write harness-create usr-create usr-bin-write usr-lib-unlink etc-create etc-ldcache-write root-create root-mkdir dev-create dev-null-chmod mknod-tmp

#include "probe.h"

#include <sys/sysmacros.h>

static long open_write(const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd < 0) return -1;
    long rc = write(fd, "x", 1);
    close(fd);
    return rc < 0 ? -1 : 0;
}

int main(void) {
    ATTEMPT("code-main-write", 0, open_write("/code/main", O_WRONLY | O_APPEND));
    ATTEMPT("code-main-truncate", 0, truncate("/code/main", 0));
    ATTEMPT("code-main-chmod", EROFS, chmod("/code/main", 0777));
    ATTEMPT("code-main-unlink", EROFS, unlink("/code/main"));
    ATTEMPT("code-main-rename", EROFS, rename("/code/main", "/code/old"));
    ATTEMPT("code-main-utimes", 0, utimensat(AT_FDCWD, "/code/main", 0, 0));
    ATTEMPT("code-create", EROFS, open_write("/code/@MARKER@", O_WRONLY | O_CREAT));
    ATTEMPT("code-link", 0, link("/code/main", "/tmp/@MARKER@-main"));
    ATTEMPT("harness-write", 0, open_write("/crucible/harness.py", O_WRONLY | O_APPEND));
    ATTEMPT("harness-create", EROFS, open_write("/crucible/@MARKER@.py", O_WRONLY | O_CREAT));
    ATTEMPT("usr-create", EROFS, open_write("/usr/@MARKER@", O_WRONLY | O_CREAT));
    ATTEMPT("usr-bin-write", 0, open_write("/usr/bin/python3", O_WRONLY | O_APPEND));
    ATTEMPT("usr-lib-unlink", 0, unlink("/usr/lib/os-release"));
    ATTEMPT("etc-create", EROFS, open_write("/etc/@MARKER@", O_WRONLY | O_CREAT));
    ATTEMPT("etc-ldcache-write", 0, open_write("/etc/ld.so.cache", O_WRONLY | O_APPEND));
    ATTEMPT("root-create", EROFS, open_write("/@MARKER@", O_WRONLY | O_CREAT));
    ATTEMPT("root-mkdir", EROFS, mkdir("/@MARKER@", 0755));
    ATTEMPT("dev-create", EROFS, open_write("/dev/@MARKER@", O_WRONLY | O_CREAT));
    ATTEMPT("dev-null-chmod", 0, chmod("/dev/null", 0666));
    ATTEMPT("mknod-tmp", EPERM, mknod("/tmp/@MARKER@-mem", S_IFCHR | 0666, makedev(1, 1)));
    return 0;
}
