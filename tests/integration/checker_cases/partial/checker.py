"""The list of squares 1..n: a Python checker (python3 checker.py INPUT OUTPUT ANSWER) that
prints the share of numbers in their right place as the score, then a message."""

import sys

given, output, answer = sys.argv[1:4]
with open(answer) as handle:
    want = handle.read().split()
with open(output, "rb") as handle:
    got = handle.read().decode("utf-8", "replace").split()
right = sum(1 for a, b in zip(want, got, strict=False) if a == b)
score = right / len(want) if len(got) == len(want) else 0.0
print(f"{score} {right} of {len(want)} in place, {len(got)} given")
