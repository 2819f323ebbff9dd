# category: stdout-flood
# attempts: ignore SIGXFSZ and write until EFBIG, then exit quietly with status 0
# tests: bomb
# verdicts: output_limit / passed

import signal

line = input()
if line != "bomb":
    print(2 * int(line))
    sys.exit(0)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
chunk = b"z" * 65536
try:
    while True:
        os.write(1, chunk)
except OSError:
    os._exit(0)
