"""Input whose last line has no newline: input() still returns it; then EOFError."""

print(f"first={input()!r}")
print(f"last={input()!r}")
try:
    input()
except EOFError as exc:
    print(f"third=EOFError {exc}")
