# category: write-outside
# attempts: change the program's and the harness's files without opening them: times, owner, extended attributes, truncation, replacing by rename
# tests: probe main.py-utime main.py-chown main.py-xattr main.py-truncate harness.py-utime harness.py-chown harness.py-xattr harness.py-truncate rpc.py-utime rpc.py-chown rpc.py-xattr rpc.py-truncate replace-main
# verdicts: passed / wrong_answer

denied = (errno.EROFS, errno.EPERM, errno.EACCES)
for path in ("/code/main.py", "/crucible/harness.py", "/crucible/rpc.py"):
    name = path.rsplit("/", 1)[1]
    attempt(f"{name}-utime", lambda: os.utime(path, (0, 0)), *denied)
    attempt(f"{name}-chown", lambda: os.chown(path, os.getuid(), os.getgid()), *denied)
    attempt(f"{name}-xattr", lambda: os.setxattr(path, "user.escaped", b"1"), *denied)
    attempt(f"{name}-truncate", lambda: os.truncate(path, 0), *denied)
with open("/tmp/@MARKER@-main.py", "w") as handle:
    handle.write("print(0)\n")
attempt("replace-main", lambda: os.replace("/tmp/@MARKER@-main.py", "/code/main.py"), errno.EXDEV, *denied)
