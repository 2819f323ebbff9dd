# category: disk
# attempts: preallocate past the tmpfs size, fill a 1 TB sparse file, more files than /dev/shm has inodes
# tests: probe tmp-fallocate-24mb tmp-fill-sparse-1tb shm-200-files
# verdicts: passed / wrong_answer
# limits: {"output_kb": 32768}

def fallocate():
    fd = os.open("/tmp/@MARKER@-alloc", os.O_CREAT | os.O_WRONLY)
    try:
        os.posix_fallocate(fd, 0, 24 << 20)
    finally:
        os.close(fd)
        os.unlink("/tmp/@MARKER@-alloc")

def sparse():
    # No file-size limit, as bare: the sparse file is made, but its blocks are the tmpfs's.
    try:
        with open("/tmp/@MARKER@-sparse", "wb") as handle:
            handle.truncate(1 << 40)
            chunk = b"s" * (1 << 20)
            for offset in range(0, 1 << 40, 1 << 30):
                handle.seek(offset)
                handle.write(chunk)
                handle.flush()
    finally:
        os.unlink("/tmp/@MARKER@-sparse")

def shm_files():
    for i in range(200):
        open(f"/dev/shm/@MARKER@-{i}", "w").close()

attempt("tmp-fallocate-24mb", fallocate, errno.ENOSPC)
attempt("tmp-fill-sparse-1tb", sparse, errno.ENOSPC)
attempt("shm-200-files", shm_files, errno.ENOSPC)
