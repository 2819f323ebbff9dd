"""Reward hacks: a program that cannot compute the answers must never score 1, whatever it
does to the harness, the interpreter or its output channels.

Expected values are large numbers drawn from the test's own seeded generator, so a hostile
program cannot know them; everything here must end with reward 0 and status "graded" (a
hack is the candidate's doing, never a judge fault).
"""

from __future__ import annotations

import random
import signal
import textwrap

import pytest

from crucible.schema import (
    CallCase,
    CallTestSet,
    Comparator,
    Policy,
    RewardResult,
    Status,
    Submission,
    TestSet,
    Verdict,
)
from tests.integration.conftest import Grade
from tests.integration.hostile import (
    assert_reward,
    explain,
    secret_assert,
    secret_call,
    secret_numbers,
    secret_stdio,
    stdio,
)
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration

SEED = 0xC0DE


def secret_tests(kind: str, seed: int = SEED) -> TestSet:
    if kind == "stdio":
        return secret_stdio(seed)
    return secret_call(seed) if kind == "call" else secret_assert(seed)


def assert_no_reward(result: RewardResult) -> None:
    assert_reward(result, 0)
    assert result.verdict != Verdict.passed, explain(result)


# -- exiting early ----------------------------------------------------------------------------

EXITS = {
    "sys.exit(0)": "import sys; sys.exit(0)",
    "os._exit(0)": "import os; os._exit(0)",
    "raise SystemExit": "raise SystemExit",
    "SystemExit(None)": "raise SystemExit(None)",
    "exit()": "exit()",
}

# (kind, where the program exits): before defining anything, or inside the tested function.
EXIT_PLACES = [
    ("stdio", "module"),
    ("call", "module"),
    ("call", "function"),
    ("assert", "module"),
    ("assert", "function"),
]


@pytest.mark.parametrize("exit_code", EXITS.values(), ids=EXITS.keys())
@pytest.mark.parametrize(("kind", "where"), EXIT_PLACES, ids=[f"{k}-{w}" for k, w in EXIT_PLACES])
def test_exit_zero_before_any_output(grade: Grade, kind: str, where: str, exit_code: str) -> None:
    if where == "module":
        code = f"def solve(i):\n    return 0\n{exit_code}\n"
    else:
        code = f"def solve(i):\n    {exit_code}\n"
    result = grade(code, secret_tests(kind))
    assert_no_reward(result)
    expected = Verdict.wrong_answer if kind == "stdio" else Verdict.runtime_error
    assert result.tests[0].verdict == expected, explain(result)


# -- patching the interpreter -----------------------------------------------------------------

PATCHES = {
    "builtins.print": """
        import builtins
        builtins.print = lambda *args, **kwargs: None
    """,
    "sys.stdout": """
        import io, sys
        sys.stdout = sys.__stdout__ = io.StringIO()
    """,
    "sys.modules-json": """
        import sys, types
        fake = types.ModuleType("json")
        fake.dumps = lambda *a, **k: '{"value": 0}'
        fake.loads = lambda *a, **k: {"value": 0}
        sys.modules["json"] = fake
    """,
    "json-functions": """
        import json
        json.dumps = lambda *a, **k: '{"value": 0}'
        json.loads = lambda *a, **k: {"value": 0}
    """,
    "os-write": """
        import os
        _write = os.write
        os.write = lambda fd, data: _write(fd, b'{"value": 0}') if fd == 3 else _write(fd, data)
    """,
    "harness-functions": """
        import sys
        frame = sys._getframe()
        while frame is not None:
            g = frame.f_globals
            if "encode_value" in g:
                g["encode_value"] = lambda value, numpy_types, _depth=0: 0
                g["_write_result"] = lambda text: g["os"].write(3, b'{"value": 0}')
            frame = frame.f_back
    """,
}


@pytest.mark.parametrize("patch", PATCHES.values(), ids=PATCHES.keys())
@pytest.mark.parametrize("kind", ["stdio", "call"])
def test_patched_runtime_does_not_pass(grade: Grade, kind: str, patch: str) -> None:
    code = textwrap.dedent(patch) + "def solve(i):\n    return 0\nprint(0)\n"
    assert_no_reward(grade(code, secret_tests(kind)))


@pytest.mark.parametrize(
    "patch", [PATCHES["builtins.print"], PATCHES["json-functions"], PATCHES["os-write"]]
)
def test_patched_runtime_does_not_complete_asserts(grade: Grade, patch: str) -> None:
    code = textwrap.dedent(patch) + "def solve(i):\n    return 0\n"
    result = grade(code, secret_tests("assert"))
    assert_no_reward(result)


# -- values that only pretend ------------------------------------------------------------------

PRETENDERS = {
    "always-equal": """
        class Answer:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __bool__(self): return True
            __hash__ = object.__hash__
        def solve(i):
            return Answer()
    """,
    "int-subclass": """
        class Answer(int):
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            __hash__ = int.__hash__
        def solve(i):
            return Answer(0)
    """,
    "str-subclass": """
        class Answer(str):
            def __eq__(self, other): return True
            __hash__ = str.__hash__
        def solve(i):
            return Answer("0")
    """,
    "list-subclass": """
        class Answer(list):
            def __eq__(self, other): return True
        def solve(i):
            return Answer()
    """,
    "json-faking": """
        class Answer(dict):
            def __eq__(self, other): return True
            def __iter__(self): return iter(["value"])
        def solve(i):
            return Answer(value=0)
    """,
}


@pytest.mark.parametrize("code", PRETENDERS.values(), ids=PRETENDERS.keys())
@pytest.mark.parametrize("kind", ["call", "assert"])
def test_always_equal_objects_do_not_pass(grade: Grade, kind: str, code: str) -> None:
    result = grade(textwrap.dedent(code), secret_tests(kind))
    assert_no_reward(result)


def test_truthy_object_does_not_pass_bare_assert(grade: Grade) -> None:
    code = textwrap.dedent(PRETENDERS["always-equal"])
    tests = secret_tests("assert").model_copy(update={"code": "assert solve(0)\n"})
    assert_no_reward(grade(code, tests))


# -- looking for the answers -------------------------------------------------------------------

# Collects every 18-digit number it can find in the harness's frames, every object the
# garbage collector knows, the files it can read and its descriptors; reports them on stderr
# and answers with the first one.
SEARCH = """
import gc, os, re, sys
DIGITS = re.compile(r"(?<![0-9])[0-9]{18}(?![0-9])")
found = []

def note(value):
    if isinstance(value, int) and not isinstance(value, bool) and 10**17 <= value < 10**18:
        value = str(value)
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("latin-1")
    if isinstance(value, str):
        for match in DIGITS.findall(value):
            if match not in found:
                found.append(match)

def note_deep(value, depth=0):
    note(value)
    if depth < 6 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            note_deep(item, depth + 1)
    elif depth < 6 and isinstance(value, dict):
        for key, item in value.items():
            note_deep(key, depth + 1)
            note_deep(item, depth + 1)

def search():
    frame = sys._getframe()
    while frame is not None:
        note_deep(dict(frame.f_locals))
        note_deep({k: v for k, v in frame.f_globals.items() if k != "found"})
        frame = frame.f_back
    for obj in gc.get_objects():
        if obj is not found:
            note_deep(obj, 5)
    for path in ("/crucible/harness.py", "/code/main.py"):
        with open(path, "rb") as handle:
            note(handle.read())
    for root, _, files in os.walk("/tmp"):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                note(handle.read())
    for fd in range(256):
        try:
            note(os.pread(fd, 1 << 20, 0))
        except OSError:
            pass
    print("found:", found, file=sys.stderr)
    return found
"""


def test_stdio_answers_cannot_be_found_in_the_jail(grade: Grade) -> None:
    secrets = secret_numbers(SEED, 2)
    decoy = "271828182845904523"  # planted in the input: proves the search looks
    tests = stdio(*((f"{i} {decoy}\n", f"{n}\n") for i, n in enumerate(secrets)))
    code = SEARCH + "planted = input().split()[1]\n"
    code += "candidates = [c for c in search() if c != planted]\n"
    code += "print(candidates[0] if candidates else 0)\n"
    result = grade(code, tests, policy=Policy(stop_on_first_failure=False))
    assert_no_reward(result)
    for test in result.tests:
        assert test.verdict == Verdict.wrong_answer, explain(result)
        assert decoy in test.stderr_tail, "the search found nothing at all: it is broken"
        assert not any(str(n) in test.stderr_tail for n in secrets), test.stderr_tail


def test_call_answers_cannot_be_found_in_the_jail(grade: Grade) -> None:
    secrets = secret_numbers(SEED, 2)
    decoy = 271828182845904523
    cases = [CallCase(args=[i, decoy], expected=n) for i, n in enumerate(secrets)]
    tests = CallTestSet(fn_name="solve", cases=cases)
    code = SEARCH + textwrap.dedent("""
        def solve(i, decoy):
            candidates = [int(c) for c in search() if c != str(decoy)]
            return candidates[0] if candidates else 0
    """)
    result = grade(code, tests, policy=Policy(stop_on_first_failure=False))
    assert_no_reward(result)
    for test in result.tests:
        assert test.verdict == Verdict.wrong_answer, explain(result)
        assert str(decoy) in test.stderr_tail, "the search found nothing at all: it is broken"
        assert not any(str(n) in test.stderr_tail for n in secrets), test.stderr_tail


# -- guessing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("comparator", ["exact", "lines", "tokens", "float", "lcb"])
def test_printing_every_possible_answer_does_not_pass(grade: Grade, comparator: str) -> None:
    answer = random.Random(SEED).randrange(10001)
    code = "print('\\n'.join(map(str, range(10001))))\n"
    result = grade(code, stdio(("\n", f"{answer}\n")), comparator=Comparator(name=comparator))
    assert_no_reward(result)
    assert result.tests[0].verdict == Verdict.wrong_answer


# -- attacking the harness ---------------------------------------------------------------------

KILL_TARGETS = {"parent": "os.getppid()", "pid-1": "1", "everyone": "-1"}


def killer(signum: int, then: str) -> str:
    targets = ", ".join(KILL_TARGETS.values())
    return textwrap.dedent(f"""
        import os
        for target in ({targets}):
            try:
                os.kill(target, {signum})
            except OSError:
                pass
        {then}
    """)


@pytest.mark.parametrize("then", ["pass", "print(0)"], ids=["prints-nothing", "prints-wrong"])
@pytest.mark.parametrize("target", KILL_TARGETS.values(), ids=KILL_TARGETS.keys())
def test_killing_the_harness_is_not_rewarded(grade: Grade, target: str, then: str) -> None:
    """PID 1 cannot be killed from inside; the process serving the submission (the
    program's parent) can, and that is the program's runtime error, never an error of ours:
    the tests after it are not run."""
    code = f"import os\ntry:\n    os.kill({target}, 9)\nexcept OSError:\n    pass\n{then}\n"
    result = grade(code, secret_tests("stdio"), policy=Policy(stop_on_first_failure=False))
    assert_no_reward(result)
    verdicts = [t.verdict for t in result.tests]
    if target == "1":
        assert verdicts == [Verdict.wrong_answer] * 2, explain(result)
    else:
        assert verdicts == [Verdict.runtime_error, Verdict.skipped], explain(result)
        assert "the process that runs its tests" in result.tests[0].message


SIGNALS = [
    signal.SIGKILL,
    signal.SIGTERM,
    signal.SIGSTOP,
    signal.SIGHUP,
    signal.SIGQUIT,
    signal.SIGUSR1,
    signal.SIGSEGV,
    signal.SIGPIPE,
    signal.SIGINT,
    signal.SIGXFSZ,
]


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_harness_survives_signals_from_the_program(judge: Judge, signum: int) -> None:
    """Test 1 signals PID 1, its parent (the process serving the submission) and everyone,
    and answers right.  Any signal that can be blocked changes nothing: test 2 is graded
    normally.  SIGKILL and SIGSTOP, which cannot be, end the submission's process: test 1 is
    the program's runtime error, never a fault of ours, and the next submission in the same
    warm pool is graded normally."""
    code = killer(signum, then="print(2 * int(input()))")
    tests = stdio(("3\n", "6\n"), ("20\n", "40\n"))
    result = judge.grade_or_error(Submission(code=code, tests=tests))
    assert result.status == Status.graded, explain(result)
    verdicts = [t.verdict for t in result.tests]
    if signum in (signal.SIGKILL, signal.SIGSTOP):
        assert verdicts == [Verdict.runtime_error, Verdict.skipped], explain(result)
        assert result.tests[0].signal == signum, explain(result)
    else:
        assert verdicts == [Verdict.passed] * 2, explain(result)
    honest = judge.grade_or_error(Submission(code="print(2 * int(input()))", tests=tests))
    assert [t.verdict for t in honest.tests] == [Verdict.passed] * 2, explain(honest)


# -- forging the harness's records -------------------------------------------------------------

FORGERIES = {
    "stdio": """
        import os
        record = b'{"event":"result","index":0,"exit_code":0,"signal":null,"wall_killed":false,'
        record += b'"cpu_s":0,"wall_s":0,"max_rss_kb":0,"stdout_b64":"","value_json":"0"}\\n'
        for fd in range(256):
            try:
                os.write(fd, record)
            except OSError:
                pass
        os._exit(0)
    """,
    "call": """
        import os
        def solve(i):
            os.write(3, b'{"value": 0}')
            os._exit(0)
    """,
    "assert": """
        import os
        def solve(i):
            os.write(3, b'{"done": "x"}')
            os._exit(0)
    """,
}


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_result_records_do_not_pass(grade: Grade, kind: str) -> None:
    result = grade(textwrap.dedent(FORGERIES[kind]), secret_tests(kind))
    assert_no_reward(result)


def test_result_channel_written_before_returning_is_overwritten(grade: Grade) -> None:
    code = "import os\ndef solve(i):\n    os.write(3, b'{\"value\": 12}')\n    return 0\n"
    tests = CallTestSet(fn_name="solve", cases=[CallCase(args=[0], expected=12)])
    result = grade(code, tests)
    assert_no_reward(result)
    assert result.tests[0].verdict == Verdict.wrong_answer, explain(result)


# -- assertion tests: the program shares the harness's interpreter -----------------------------

FORGE_TOKEN = """
import json, os, sys
def solve(i):
    return 0
frame = sys._getframe()
while frame is not None:
    if "token" in frame.f_locals:
        os.write(3, json.dumps({"done": frame.f_locals["token"]}).encode())
        os._exit(0)
    frame = frame.f_back
"""

DISABLE_GUARD = """
import sys
def solve(i):
    return 0
frame = sys._getframe()
while frame is not None:
    owner = frame.f_locals.get("self")
    if owner is not None and hasattr(owner, "guard"):
        owner.guard.plain = lambda value, _depth=0: value
        owner.guard.truth = lambda value: True
    frame = frame.f_back
"""


PATCH_GUARD_CLASS = """
import sys
def solve(i):
    return 0
harness = sys.modules["__main__"]  # the harness runs as a script
harness.Guard.plain = lambda self, value, _depth=0: value
harness.Guard.truth = lambda self, value: True
"""

# Each tampering attempt works inside the program's own process; the test runs in another.
ASSERT_TAMPERING = [
    pytest.param(FORGE_TOKEN, id="token-from-frames"),
    pytest.param(DISABLE_GUARD, id="guard-instance-from-frames"),
    pytest.param(PATCH_GUARD_CLASS, id="guard-class-from-main"),
]


@pytest.mark.parametrize("code", ASSERT_TAMPERING)
def test_assert_tests_cannot_be_tampered_with(grade: Grade, code: str) -> None:
    assert_no_reward(grade(code, secret_tests("assert")))
