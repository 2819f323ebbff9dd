# category: signals
# attempts: send every signal number, real-time ones included, to the harness (pid 1) with kill and through a pidfd
# tests: bomb
# verdicts: wrong_answer / passed

import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
pidfd = os.pidfd_open(1)
for number in range(1, signal.SIGRTMAX + 1):
    for send in (lambda: os.kill(1, number), lambda: signal.pidfd_send_signal(pidfd, number)):
        try:
            send()
        except OSError:
            pass
print(0)
