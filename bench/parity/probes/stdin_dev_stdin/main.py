"""Reading stdin by path, open('/dev/stdin'), as some programs do."""

try:
    with open("/dev/stdin") as stdin:
        print(f"read={stdin.read()!r}")
except OSError as exc:
    print(f"read={type(exc).__name__}: {exc.strerror}")
