"""Two positive integers that add up to n: a Kattis output validator (validator INPUT
ANSWER FEEDBACK_DIR < OUTPUT; exit 42 accepted, 43 wrong answer, judgemessage.txt says why)."""

import sys


def reject(feedback, message):
    with open(f"{feedback}/judgemessage.txt", "a") as out:
        out.write(message + "\n")
    sys.exit(43)


def main():
    given, _answer, feedback = sys.argv[1:4]
    with open(given) as handle:
        n = int(handle.read())
    words = sys.stdin.buffer.read().split()
    if len(words) != 2:
        reject(feedback, f"{len(words)} words; two numbers belong there")
    try:
        a, b = (int(word) for word in words)
    except ValueError:
        reject(feedback, "the two words are not both integers")
    if a < 1 or b < 1:
        reject(feedback, f"{a} and {b} are not both positive")
    if a + b != n:
        reject(feedback, f"{a} + {b} is {a + b}, not {n}")
    sys.exit(42)


main()
