"""The ways a compiled program's test process starts (`workers/judge/launcher.py`): by the
launcher library's `crucible_spawn` where the worker built it, else by posix_spawn of the
launcher; the harness says which in its ready record, and the verdicts are the same."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crucible.schema import Language, Limits, StdioCase, StdioTestSet, Submission, Verdict
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
