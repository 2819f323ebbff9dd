"""Warm jails: one submission leaves nothing behind for the next one in the same jail."""

from __future__ import annotations

import pytest

from crucible.schema import Language, Limits, StdioCase, StdioTestSet, Submission
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration

ONE = StdioTestSet(cases=[StdioCase(input="", output="clean\n")])
LIMITS = Limits(memory_mb=200, pids=32)  # a key no other test uses: this judge's own jail

LITTER = """
import os, subprocess, time
os.makedirs("/tmp/a/b", exist_ok=True)
open("/tmp/a/b/f", "w").write("x")
open("/dev/shm/s", "w").write("x")
os.symlink("/usr", "/tmp/link")
os.chmod("/tmp/a/b", 0)
os.chmod("/tmp/a", 0o500)
os.chmod("/tmp", 0o500)
if os.fork() == 0:
    os.setsid()
    time.sleep(30)
    os._exit(0)
print("littered")
"""

LOOK = """
import os, signal
left = os.listdir("/tmp") + os.listdir("/dev/shm")
mode = oct(os.stat("/tmp").st_mode & 0o7777)
others = []
for pid in range(2, 200):  # bar PID 1 and the parent, the process serving this submission
    try:
        if pid != os.getppid():
            os.kill(pid, 0)
            others.append(pid)
    except (ProcessLookupError, PermissionError):  # the jail's keeper is not ours to signal
        pass
ok = not left and mode == "0o1777" and others == [os.getpid()]
print("clean" if ok else (left, mode, others))
"""


def test_the_next_submission_finds_the_jail_clean(judge: Judge) -> None:
    first = judge.grade(Submission(code=LITTER, tests=ONE, limits=LIMITS))
    assert first.tests[0].message.startswith("line 1: expected 'clean', got 'littered'")
    jails = [j for j in judge.pool.idle() if j.key[:2] == (200, 32)]
    assert len(jails) == 1, "a clean jail goes back to the pool"
    second = judge.grade(Submission(code=LOOK, tests=ONE, limits=LIMITS))
    assert second.reward == 1, second.tests[0].message
    assert [j for j in judge.pool.idle() if j.key[:2] == (200, 32)] == jails, (
        "the same jail was reused"
    )


def test_other_limits_get_another_jail(judge: Judge) -> None:
    judge.grade(Submission(code="print('clean')", tests=ONE, limits=LIMITS))
    before = {id(j) for j in judge.pool.idle()}
    other = Limits(memory_mb=210, pids=32)
    assert judge.grade(Submission(code="print('clean')", tests=ONE, limits=other)).reward == 1
    keys = [j.key[:2] for j in judge.pool.idle()]
    assert (210, 32) in keys and (200, 32) in keys
    assert len({id(j) for j in judge.pool.idle()} - before) == 1


def test_a_prelude_gets_a_jail_of_its_own(judge: Judge) -> None:
    # A prelude runs in the harness: a jail that ran one never takes another test set's.
    seeded = StdioTestSet(prelude="import random\nrandom.seed(7)\n", cases=ONE.cases)
    assert judge.grade(Submission(code="print('clean')", tests=seeded, limits=LIMITS)).reward == 1
    assert judge.grade(Submission(code="print('clean')", tests=ONE, limits=LIMITS)).reward == 1
    preludes = {j.key[2] for j in judge.pool.idle() if j.key[:2] == (200, 32)}
    assert len(preludes) == 2


def test_back_to_back_submissions_wait_for_the_jail_to_be_readied(judge: Judge) -> None:
    # No pause between them: each takes the jail its predecessor left while that jail is still
    # being ended and reset in the background, and must find it as clean as a fresh one.
    judge.pool.drop(memory_mb=200, pids=32)
    for _ in range(10):
        judge.grade(Submission(code=LITTER, tests=ONE, limits=LIMITS))
        second = judge.grade(Submission(code=LOOK, tests=ONE, limits=LIMITS))
        assert second.reward == 1, second.tests[0].message
    mine = [j for j in judge.pool.idle() if j.key[:2] == (200, 32)]
    assert [j.uses for j in mine] == [20], "one jail took them all"


def test_a_native_submission_right_after_one_that_littered_finds_its_jail_clean(
    judge: Judge,
) -> None:
    look = (
        "#include <dirent.h>\n#include <stdio.h>\n"
        "int main(void) {\n"
        '    DIR *d = opendir("/tmp"); struct dirent *e; int n = 0;\n'
        "    while ((e = readdir(d))) n += e->d_name[0] != '.';\n"
        '    printf(n ? "littered\\n" : "clean\\n");\n    return 0;\n}\n'
    )
    litter = (
        "#include <stdio.h>\n"
        'int main(void) { fclose(fopen("/tmp/left", "w")); printf("littered\\n"); return 0; }\n'
    )
    for _ in range(5):
        judge.grade(Submission(language=Language.c, code=litter, tests=ONE, limits=LIMITS))
        second = judge.grade(Submission(language=Language.c, code=look, tests=ONE, limits=LIMITS))
        assert second.reward == 1, second.tests[0].message
