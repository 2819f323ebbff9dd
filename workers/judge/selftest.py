"""A worker proves its sandbox before it takes jobs: grade and run a tiny echo program."""

from __future__ import annotations

from crucible.schema import Limits, StdioCase, StdioTestSet, Submission
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge

ECHO = "import sys\nsys.stdout.write(sys.stdin.read())\n"


def sandbox_fault(judge: Judge) -> str | None:
    """None when the sandbox grades and runs correctly, else what is wrong."""
    tests = StdioTestSet(cases=[StdioCase(input="crucible\n", output="crucible\n")])
    try:
        graded = judge.grade(Submission(code=ECHO, tests=tests))
        ran = judge.run(ECHO, stdin="crucible\n", limits=Limits(time_s=5))
    except JudgeError as exc:
        return f"{exc.code}: {exc.message}"
    if graded.reward != 1:
        return f"the echo program was not accepted: {graded.verdict} {graded.tests[:1]}"
    if ran.stdout != "crucible\n" or ran.exit_code != 0:
        return f"the echo program's raw run went wrong: {ran.model_dump_json()[:300]}"
    return None
