# category: fds
# attempts: exhaust descriptors with eventfds, memfds, epoll instances and timerfds
# tests: probe eventfds memfds epolls timerfds
# verdicts: passed / wrong_answer

import select

def exhaust(make, close):
    held = []
    try:
        while True:
            held.append(make())
    finally:
        for item in held:
            close(item)

CLOCK_MONOTONIC = 1
attempt("eventfds", lambda: exhaust(lambda: os.eventfd(0), os.close), errno.EMFILE)
attempt("memfds", lambda: exhaust(lambda: os.memfd_create("x"), os.close), errno.EMFILE)
attempt("epolls", lambda: exhaust(select.epoll, lambda e: e.close()), errno.EMFILE)
timerfd = lambda: call(libc.timerfd_create, CLOCK_MONOTONIC, 0)
attempt("timerfds", lambda: exhaust(timerfd, os.close), errno.EMFILE)
