# category: fds
# attempts: from inside a called function, look for any descriptor beyond the four the harness hands over, and for any pipe or socket that could lead back to the harness or the host
# tests: probe-call descriptors-above-3 pipes-or-sockets
# verdicts: passed / wrong_answer

import io
import stat

def probe(request):
    report = io.StringIO()

    def above_three():
        extra = []
        for fd in range(4, 1024):
            try:
                os.fstat(fd)
                extra.append(fd)
            except OSError:
                pass
        if not extra:
            raise OSError(errno.EBADF, "nothing open above the result channel")
        print(extra, file=sys.stderr)

    def channels():
        kinds = [stat.S_IFMT(os.fstat(fd).st_mode) for fd in range(4)]
        # /dev/null and memfds the worker fills and reads: neither leads anywhere.
        if not any(stat.S_ISFIFO(kind) or stat.S_ISSOCK(kind) for kind in kinds):
            raise OSError(errno.EBADF, "no pipe and no socket")
        print(kinds, file=sys.stderr)

    saved, sys.stdout = sys.stdout, report
    try:
        attempt("descriptors-above-3", above_three, errno.EBADF)
        attempt("pipes-or-sockets", channels, errno.EBADF)
    finally:
        sys.stdout = saved
    return report.getvalue()
