"""Signal dispositions a program starts with, its blocked set, and handlers it installs."""

import signal
import time


def disposition(signum):
    handler = signal.getsignal(signum)
    return getattr(handler, "__name__", None) or repr(handler)


for name in ("SIGINT", "SIGPIPE", "SIGXFSZ", "SIGTERM", "SIGALRM", "SIGCHLD", "SIGHUP", "SIGUSR1"):
    print(f"{name}={disposition(getattr(signal, name))}")
print(f"blocked={sorted(s.name for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))}")
caught = []
previous = signal.signal(signal.SIGALRM, lambda signum, frame: caught.append(signum))
print(f"previous_alarm={getattr(previous, 'name', previous)!r}")
signal.setitimer(signal.ITIMER_REAL, 0.05)
deadline = time.monotonic() + 5
while not caught and time.monotonic() < deadline:
    pass
print(f"alarm_caught={bool(caught)}")
signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signum))
signal.raise_signal(signal.SIGUSR1)
print(f"usr1_caught={caught[-1:] == [signal.SIGUSR1]}")
