"""The ways a compiled program's test process starts (`workers/judge/launcher.py`): by the
launcher library's `crucible_spawn` where the worker built it, else by posix_spawn of the
launcher; the harness says which in its ready record, and the verdicts are the same.  Where
the library is, its loop (`crucible_serve`) runs the plain stdio tests of a compiled
program's submission: every verdict, and every field the worker reads, as the harness's
own Python gives them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crucible.schema import (
    Language,
    Limits,
    Policy,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
    Verdict,
)
from workers.judge import launcher
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

ADD = '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}\n'
SPIN = "int main(){volatile unsigned long n=0;for(;;)n++;}\n"
TESTS = StdioTestSet(
    cases=[StdioCase(input=f"{i} {i * 7}\n", output=f"{i * 8}\n") for i in range(1, 6)]
)


def _starts(judge: Judge) -> str:
    setup = {
        "kind": "stdio",
        "prelude": "",
        "fn_name": None,
        "entry_point": None,
        "limits": {"cpu_s": 1, "wall_s": 5, "output_bytes": 1024},
    }
    with judge.pool.jail(memory_mb=128, pids=16, prelude="spawn-ways") as jail:
        ready = jail.begin("print(1)\n", setup, timeout=30)
    assert ready["event"] == "ready"
    return str(ready.get("starts"))


@pytest.fixture
def without_library() -> Iterator[Judge]:
    """A judge whose work folder has the launcher but no library (as on a host whose
    architecture has no freestanding build)."""
    work = Path(tempfile.mkdtemp(prefix="crucible-launcher-only-", dir="/tmp"))
    work.chmod(0o711)
    launcher._built[work, launcher.LIBRARY] = None
    judge = Judge(JudgeSettings(work_dir=work))
    try:
        yield judge
    finally:
        judge.close()
        for name in launcher.KINDS:
            launcher._built.pop((work, name), None)
        shutil.rmtree(work, ignore_errors=True)


def test_tests_start_by_the_library_where_it_built(judge: Judge) -> None:
    assert _starts(judge) == "library"


def test_without_the_library_the_launcher_starts_them_with_the_same_verdicts(
    judge: Judge, without_library: Judge
) -> None:
    assert _starts(without_library) == "launcher"
    for graded in (judge, without_library):
        right = graded.grade(Submission(language=Language.c, code=ADD, tests=TESTS))
        assert right.reward == 1 and all(t.verdict is Verdict.passed for t in right.tests)
        spin = graded.grade(
            Submission(language=Language.c, code=SPIN, tests=TESTS, limits=Limits(time_s=0.2))
        )
        assert spin.reward == 0 and spin.tests[0].verdict is Verdict.time_limit


# One program per verdict a plain stdio test can reach, each with limits that make it so.
MEMORY = (
    "#include <stdlib.h>\n#include <string.h>\n"
    "int main(){for(;;){char*p=malloc(1<<20);if(!p)return 9;memset(p,1,1<<20);}}\n"
)
OUTPUT = "#include <stdio.h>\nint main(){for(long i=0;i<100000000;i++)putchar(120);}\n"
BY_VERDICT = {
    "passed": (ADD, Limits()),
    "wrong": ('#include <stdio.h>\nint main(){puts("0");}\n', Limits()),
    "exit 3": ("int main(){return 3;}\n", Limits()),
    "abort": ("#include <stdlib.h>\nint main(){abort();}\n", Limits()),
    "sleep": ("#include <unistd.h>\nint main(){sleep(30);}\n", Limits(time_s=0.3)),
    "spin": (SPIN, Limits(time_s=0.3)),
    "memory": (MEMORY, Limits(memory_mb=64)),
    "output": (OUTPUT, Limits(output_kb=64)),
}
EVERY_TEST = Policy(stop_on_first_failure=False)
TWO_TESTS = StdioTestSet(cases=TESTS.cases[:2])


def _looped(judge: Judge) -> int:
    return sum(jail.looped for jail in judge.pool.idle())


def _grade(judge: Judge, name: str, tests: StdioTestSet = TWO_TESTS) -> RewardResult:
    code, limits = BY_VERDICT[name]
    submission = Submission(
        language=Language.c, code=code, tests=tests, limits=limits, policy=EVERY_TEST
    )
    return judge.grade(submission)


def test_the_loop_runs_a_compiled_programs_plain_stdio_tests(judge: Judge) -> None:
    """A jail's first submission is served by a fork of its harness; each after it, by the
    harness itself, whose loop runs every plain stdio test."""
    _grade(judge, "passed", TESTS)
    before = _looped(judge)
    for _ in range(3):
        assert _grade(judge, "passed", TESTS).reward == 1
    assert _looped(judge) - before >= 2 * len(TESTS.cases)


def test_the_loop_gives_every_verdict_and_field_as_the_harness_does(
    judge: Judge, without_library: Judge
) -> None:
    """Each program graded twice by the loop (the judge's second submission on a jail) and
    by the harness's Python (no library): the same verdicts, exit codes and signals, and a
    time and memory measured.  A test still running at its wall deadline is handed
    from the loop to the harness, which ends it (`sleep`)."""
    expected = {
        "passed": Verdict.passed,
        "wrong": Verdict.wrong_answer,
        "exit 3": Verdict.runtime_error,
        "abort": Verdict.runtime_error,
        "sleep": Verdict.time_limit,
        "spin": Verdict.time_limit,
        "memory": Verdict.memory_limit,
        "output": Verdict.output_limit,
    }
    for name, verdict in expected.items():
        graded = {}
        for way, owner in (("loop", judge), ("python", without_library)):
            _grade(owner, name)  # the jail's first submission: a fork serves it
            graded[way] = _grade(owner, name)
        loop, python = graded["loop"], graded["python"]
        assert [t.verdict for t in loop.tests] == [verdict] * len(TWO_TESTS.cases), name
        assert [t.verdict for t in python.tests] == [verdict] * len(TWO_TESTS.cases), name
        for ours, theirs in zip(loop.tests, python.tests, strict=True):
            assert (ours.exit_code, ours.signal) == (theirs.exit_code, theirs.signal), name
            assert ours.time_s > 0 and theirs.time_s > 0, name
            assert ours.memory_kb > 0 and theirs.memory_kb > 0, name


LEAVES_A_CHILD = r"""#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
int main(){
    char word[16] = "";
    scanf("%15s", word);
    if (strcmp(word, "wait") == 0) {
        usleep(1500000);
        puts(access("/tmp/mark", F_OK) == 0 ? "leaked" : "ok");
        return 0;
    }
    if (fork() == 0) {  /* a grandchild of the harness, orphaned at once */
        setsid();
        if (fork() == 0) { usleep(700000); close(open("/tmp/mark", O_CREAT | O_WRONLY, 0644)); }
        return 0;
    }
    puts("ok");
    return 0;
}
"""


def test_what_a_test_leaves_running_is_gone_before_the_next(
    judge: Judge, without_library: Judge
) -> None:
    """A test's program that leaves an orphan behind (which would mark /tmp a little later):
    the next test, which waits past that moment, finds no mark, by the loop as by the
    harness's Python."""
    tests = StdioTestSet(
        cases=[StdioCase(input="go\n", output="ok\n"), StdioCase(input="wait\n", output="ok\n")]
    )
    submission = Submission(language=Language.c, code=LEAVES_A_CHILD, tests=tests)
    for owner in (judge, without_library):
        owner.grade(submission)  # the jail's first submission: a fork serves it
        before = _looped(owner)
        graded = owner.grade(submission)
        assert [t.verdict for t in graded.tests] == [Verdict.passed] * 2, graded.tests
        assert (_looped(owner) - before == 2) is (owner is judge)
