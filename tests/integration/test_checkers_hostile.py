"""Programs against checkers: one that hunts for the expected answer, one that tries to reach
or stop the checker, and output made to break a checker.  The program never scores 1, and
never turns its 0 into an error through a checker that follows its protocol (malformed
output is the checker's wrong answer); only a checker that fails on it is an error, never a
0 and never a 1."""

from __future__ import annotations

import json
from pathlib import Path

from crucible.schema import (
    Checker,
    Limits,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    Verdict,
)
from workers.judge.grade import Judge

CASES = Path(__file__).parent / "checker_cases"
SECRET = "7f1c9e2ab4d05e31"
LIMITS = Limits(time_s=5)

# Accepts only the secret itself: the program could print it only by reading the answer.
SECRET_CHECKER = """
import sys
given, output, answer = sys.argv[1:4]
with open(answer, "rb") as a, open(output, "rb") as o:
    print(1 if o.read().split() == a.read().split() else 0)
"""
SECRET_TESTS = StdioTestSet(
    cases=[StdioCase(input="find it\n", output=f"{SECRET}\n")],
    checker=Checker(protocol="python", language="python", source=SECRET_CHECKER),
)

HUNTER = r"""
import os, re, sys

found = set()
def look(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read(1 << 20)
    except OSError:
        return
    found.update(re.findall(rb"[0-9a-f]{16}", data))

for fd in range(3, 64):
    look(f"/dev/fd/{fd}")
for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
    for name in ("fd", "cwd", "root"):
        folder = f"/proc/{pid}/{name}"
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            look(f"{folder}/{entry}")
for top in ("/code", "/tmp", "/dev/shm", "/crucible", "/"):
    for folder, _, files in os.walk(top):
        if folder.startswith(("/proc", "/sys", "/usr", "/dev")):
            continue
        for name in files:
            look(os.path.join(folder, name))
for word in sorted(found):
    print(word.decode())
print("looked", file=sys.stderr)
"""

# Every process it can signal, SIGKILL and SIGSTOP: only its own jail's exist for it.
SIGNALLER = """
import os, signal
print("no answer")
for pid in range(2, 1 << 15):
    if pid != os.getpid():
        for signum in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(pid, signum)
            except OSError:
                pass
os.kill(-1, signal.SIGKILL)
"""


def describe(result: RewardResult) -> str:
    shown = [(t.verdict.value, t.message[:100], t.stderr_tail[-200:]) for t in result.tests]
    return f"{result.status} {result.reward} {result.error} {shown}"


def test_a_program_cannot_find_the_answer(judge: Judge) -> None:
    honest = f"input()\nprint('{SECRET}')\n"  # the checker does accept the answer
    assert judge.grade(Submission(code=honest, tests=SECRET_TESTS, limits=LIMITS)).reward == 1
    result = judge.grade(Submission(code=HUNTER, tests=SECRET_TESTS, limits=LIMITS))
    print(describe(result))
    assert result.status == "graded" and result.reward == 0, describe(result)
    assert result.tests[0].verdict == Verdict.wrong_answer
    assert "looked" in result.tests[0].stderr_tail  # it ran to its end, and found nothing


def test_a_program_cannot_reach_or_stop_the_checker(judge: Judge) -> None:
    result = judge.grade(Submission(code=SIGNALLER, tests=SECRET_TESTS, limits=LIMITS))
    print(describe(result))
    assert result.status == "graded" and result.reward == 0, describe(result)
    # And the checker still judges the next program, in jails the pool may have reused.
    honest = f"input()\nprint('{SECRET}')\n"
    assert judge.grade(Submission(code=honest, tests=SECRET_TESTS, limits=LIMITS)).reward == 1


def test_a_jail_a_checker_used_keeps_nothing_of_it(judge: Judge) -> None:
    """Checker and program jails come from one pool: a program in a jail that ran a checker
    finds its folders as a fresh jail has them (no artifact, no feedback folder)."""
    lister = (
        "import os\nprint(sorted(os.listdir('/code')), sorted(os.listdir('/tmp')),"
        " sorted(os.listdir('/dev/shm')))\n"
    )
    plain = StdioTestSet(cases=[StdioCase(input="", output="['main.py'] [] []\n")])
    for _ in range(3):
        judge.grade(Submission(code=f"input()\nprint('{SECRET}')\n", tests=SECRET_TESTS))
        result = judge.grade(Submission(code=lister, tests=plain))
        assert result.reward == 1, describe(result)


def permutation_tests() -> StdioTestSet:
    folder = CASES / "permutation"
    helper = (CASES / "checklib.h").read_text()
    checker = Checker(
        protocol="testlib",
        source=(folder / "checker.cpp").read_text(),
        files={"checklib.h": helper},
    )
    cases = [StdioCase(**case) for case in json.loads((folder / "tests.json").read_text())]
    return StdioTestSet(cases=cases, checker=checker)


GARBAGE = {
    "nul bytes": "import sys\nsys.stdout.buffer.write(b'1\\x00 2\\x00\\n')\n",
    "invalid utf-8": "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe\\x80 1\\n')\n",
    "a megabyte token": "print('9' * (1 << 20))\n",
    "an overflowing integer": "print('1' + '0' * 40)\n",
    "negative zero and signs": "print('-0 +1 --2')\n",
    "a nan": "print('nan inf')\n",
    "nothing": "pass\n",
    "only whitespace": "print(' \\t\\r\\n' * 1000)\n",
    "binary within the cap": "import sys\nsys.stdout.buffer.write(bytes(range(256)) * 4000)\n",
}


def test_garbage_output_is_a_wrong_answer_not_an_error(judge: Judge) -> None:
    tests = permutation_tests()
    for name, code in GARBAGE.items():
        result = judge.grade(Submission(code=code, tests=tests, limits=LIMITS))
        print(name, describe(result))
        assert result.status == "graded" and result.reward == 0, (name, describe(result))
        assert result.verdict == Verdict.wrong_answer, (name, describe(result))


def test_output_over_the_cap_never_reaches_the_checker(judge: Judge) -> None:
    flood = "import sys\nwhile True:\n    sys.stdout.write('1 ' * 4096)\n"
    result = judge.grade(
        Submission(code=flood, tests=permutation_tests(), limits=Limits(time_s=5, output_kb=64))
    )
    assert result.status == "graded" and result.verdict == Verdict.output_limit, describe(result)


# A checker that trusts the output: it indexes an array with the program's number.
FRAGILE = r"""
#include <cstdio>
int main(int argc, char** argv) {
    FILE* out = std::fopen(argv[2], "r");
    static int table[16];
    long long index = 0;
    if (std::fscanf(out, "%lld", &index) != 1) return 2;
    volatile int* cell = table + index;
    return *cell == 0 && index == 3 ? 0 : 1;
}
"""


def test_a_checker_that_crashes_on_garbage_is_an_error_never_a_verdict(judge: Judge) -> None:
    """The rule (docs/runtime.md): a checker must answer malformed output with a wrong
    answer; one that crashes instead has failed, and its test has no verdict.  The result
    is a status "error" (checker_failed), never the program's 0 and never its 1."""
    tests = StdioTestSet(
        cases=[StdioCase(input="", output="3\n")],
        checker=Checker(protocol="testlib", source=FRAGILE),
    )
    right = judge.grade_or_error(Submission(code="print(3)", tests=tests))
    wrong = judge.grade_or_error(Submission(code="print(4)", tests=tests))
    crashing = judge.grade_or_error(Submission(code="print(1 << 40)", tests=tests))
    assert (right.reward, wrong.reward) == (1, 0)
    assert crashing.status == "error" and crashing.reward is None, describe(crashing)
    assert crashing.error is not None and crashing.error.code == "checker_failed"
