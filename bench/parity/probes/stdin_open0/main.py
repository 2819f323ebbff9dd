"""Reading stdin as open(0): the whole text, and the file object's properties."""

with open(0) as stdin:
    data = stdin.read()
    print(f"read={data!r}")
    print(f"name={stdin.name!r}")
    print(f"encoding={stdin.encoding!r}")
