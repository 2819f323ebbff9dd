"""input() with a prompt: the prompt goes to stdout when stdin is not a terminal."""

a = input("first> ")
b = input("second> ")
print()
print(f"values={[a, b]!r}")
