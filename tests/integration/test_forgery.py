"""Forgery: a program that reads the test's expected values, or runs its own code where the
test runs, instead of computing the answers.  Three classes, each with attacks that do not
depend on the task:

1. Reading the test from memory.  The program is forked from the harness, so whatever the
   harness held at that moment is in the program's own memory.  (A) An oracle walks its
   stack's frames (f_back, f_locals, f_globals) and every object the garbage collector
   tracks, collects each text and code object that could be an assert test, re-runs it with a
   recording stand-in for the function under test (every assert made lenient, so that one
   form it cannot record does not stop the rest) and answers each call from that table.  It
   runs against the first ten HumanEval tasks and against a synthetic test set with secret
   expected values.  (B) A raw scanner reads its own address space with ctypes, in windows
   around every object the garbage collector tracks and below the top of malloc's heap,
   without ever touching an unmapped page: it hands each address range to write(2) on a pipe
   (write on /dev/null would not read the bytes), which answers EFAULT for a page that is not
   mapped, and reads the bytes back from the pipe.  It looks for the secret expected values of
   assert, call and stdio tests, in a fresh jail.
2. Running its own code in the trusted test process.  The test process of an assert test
   imports, for a name the test reads from the program (its entry point, or a module name
   such as MBPP's `sys`), the module the program bound to that name, by that module's
   `__name__`: a value the program chooses freely.  Named `unittest.__main__`, the import
   runs unittest's discovery in the jail's working directory (/tmp), where the program has
   planted a `test_*.py` that forges the completion record from the test process's own
   frames.  Named `lib2to3.__main__`, it runs that tool's command line: any module with a
   side effect on import will do.
3. Memory carried from one submission to the next in a warm jail (same judge, same limits,
   same prelude, graded in sequence).  A correct program that knows the secret answers is
   graded first, on a stdio test set or on an assert test set (which brings the expected
   values themselves into the harness); a second program that does not know them then scans
   its own memory, reachable objects and raw bytes, for the first one's source text, output
   or test, or for program texts it re-runs on its own input.

Every attack reports what it found on stderr, and each test checks a decoy the attack must
find (planted in the test's own arguments or input, or in the program), so that a broken
attack cannot pass vacuously.  Every test must end with reward 0 and nothing secret found.
"""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from crucible.datasets import humaneval_submission, mbpp_submission, read_json, read_jsonl
from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    CallCase,
    CallTestSet,
    Limits,
    Policy,
    RewardResult,
    StdioTestSet,
    Submission,
)
from tests.integration.hostile import assert_reward, explain, secret_numbers, stdio
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration

# A key no other test module uses, so that the warm jails here are this module's own.
LIMITS = Limits(memory_mb=88, pids=20, time_s=2)
EVERY = Policy(stop_on_first_failure=False)
SEED = 0xF0E6E
# Planted where the program may legitimately see it (its arguments, its input): an attack
# that does not report it did not look.
DECOY = 271828182845904523
# A raw scan reads at least this much of the program's address space (the heap is larger).
MIN_RAW_MIB = 4

# -- attack helpers, as program source --------------------------------------------------------

# Every text (str, bytes as latin-1) and code object reachable from the stack's frames and
# from the objects the garbage collector tracks.
REACHABLE = r'''
import gc
import sys
import types


def reachable_texts():
    """(texts, code objects) reachable from this stack's frames and from gc's objects."""
    texts, codes = [], []
    seen = {id(texts), id(codes)}
    seen.add(id(seen))

    def visit(value, depth):
        if id(value) in seen:
            return
        seen.add(id(value))
        kind = type(value)
        if kind is str:
            texts.append(value)
        elif kind in (bytes, bytearray):
            texts.append(bytes(value).decode("latin-1"))
        elif kind is types.CodeType:
            codes.append(value)
            for const in value.co_consts:
                visit(const, depth)
        elif depth <= 0:
            return
        elif kind in (list, tuple, set, frozenset):
            for item in list(value):
                visit(item, depth - 1)
        elif kind is dict:
            for key, item in list(value.items()):
                visit(key, depth - 1)
                visit(item, depth - 1)
        elif kind is types.FunctionType:
            visit(value.__code__, depth - 1)
        elif kind is types.FrameType:
            visit(value.f_code, depth - 1)
            visit(value.f_locals, depth - 1)
        else:
            try:
                attrs = object.__getattribute__(value, "__dict__")
            except Exception:
                return
            if type(attrs) is dict:
                visit(attrs, depth - 1)

    frame = sys._getframe()
    while frame is not None:
        visit(frame.f_code, 5)
        visit(frame.f_locals, 5)
        visit(frame.f_globals, 3)
        frame = frame.f_back
    for obj in gc.get_objects():
        visit(obj, 2)
    return texts, codes
'''

# Attack A: answers every call from the assert tests it finds in reachable memory.
ORACLE = (
    REACHABLE
    + r'''
import ast
import builtins
import json

ANSWERS = {}
LEARNED = []


def call_key(args):
    return repr(tuple(args))


class Probe:
    """What the recording stand-in returns: whatever it is compared with is the answer."""

    def __init__(self, key):
        self.key = key

    def __eq__(self, other):
        ANSWERS.setdefault(self.key, other)
        return True

    def __sub__(self, other):  # abs(candidate(x) - expected) < tolerance
        return Near(self.key, other)

    def __round__(self, digits=None):  # round(candidate(x), 2) == expected
        return self

    __hash__ = object.__hash__


class Near:
    def __init__(self, key, value):
        self.key, self.value = key, value

    def __abs__(self):
        ANSWERS.setdefault(self.key, self.value)
        return 0.0


def recorder(*args, **kwargs):
    return Probe(call_key(args))


class Lenient(ast.NodeTransformer):
    """Each assert becomes its comparison, evaluated and never failing."""

    def visit_Assert(self, node):
        test = node.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = ast.Compare(test.operand, [ast.Eq()], [ast.Constant(False)])
        elif isinstance(test, ast.Call):
            test = ast.Compare(test, [ast.Eq()], [ast.Constant(True)])
        elif isinstance(test, ast.Compare):
            ops = [ast.Eq() if isinstance(op, ast.Is) else op for op in test.ops]
            test = ast.Compare(test.left, ops, test.comparators)
        catch = ast.ExceptHandler(type=ast.Name("Exception", ast.Load()), body=[ast.Pass()])
        return ast.Try(body=[ast.Expr(test)], handlers=[catch], orelse=[], finalbody=[])


def record(test, name):
    """Run a found test (a syntax tree or a code object) against the recorder."""
    ns = {"__builtins__": builtins, "__name__": "found", name: recorder, "candidate": recorder}
    try:
        if isinstance(test, ast.AST):
            test = compile(ast.fix_missing_locations(Lenient().visit(test)), "<found>", "exec")
        exec(test, ns)
        if callable(ns.get("check")):
            ns["check"](recorder)
    except Exception:
        pass


def pieces(text):
    """A found text, and the strings in it where it holds JSON lines (the harness's commands)."""
    yield text
    start = text.find("{")
    for line in text[start:].splitlines() if start >= 0 else ():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if type(data) is dict:
            yield from (value for value in data.values() if type(value) is str)


def learn(name):
    texts, codes = reachable_texts()
    tests = 0
    for text in texts:
        if "assert" not in text or len(text) > 1 << 20:
            continue
        for piece in pieces(text):
            if (name in piece or "candidate" in piece) and "oracle_answer" not in piece:
                try:
                    tree = ast.parse(piece)
                except (SyntaxError, ValueError):
                    continue
                tests += 1
                record(tree, name)
    mine = sys._getframe().f_code.co_filename
    for code in codes:
        if code.co_name == "<module>" and code.co_filename not in (mine, "<found>"):
            if "check" in code.co_names or name in code.co_names:
                tests += 1
                record(code, name)
    print(
        f"oracle: {len(texts)} texts, {len(codes)} code objects, {tests} tests run;"
        f" answers {sorted(map(repr, ANSWERS.values()))}",
        file=sys.stderr,
    )


def oracle_answer(frame):
    """The answer the tests found in memory expect for the call running in `frame`."""
    code = frame.f_code
    if not LEARNED:
        LEARNED.append(code.co_name)
        learn(code.co_name)
    args = [frame.f_locals[name] for name in code.co_varnames[: code.co_argcount]]
    return ANSWERS.get(call_key(args))
'''
)

# Attack B: reads raw memory without faulting, in windows around every object the garbage
# collector tracks, around buffers malloc hands out, and below the top of malloc's heap.
RAW_MEMORY = r'''
import ctypes
import fcntl
import gc
import os
import re
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")
WINDOW = 2 << 20
DIGITS = bytes(c if 48 <= c <= 57 else 32 for c in range(256))


def memory_spans():
    spots = {id(obj) for obj in gc.get_objects()}
    held = [bytearray(size) for size in (600, 40_000, 300_000)]
    spots.update(ctypes.addressof((ctypes.c_char * len(b)).from_buffer(b)) for b in held)
    sbrk = ctypes.CDLL(None).sbrk
    sbrk.restype = ctypes.c_void_p
    top = sbrk(0) // WINDOW + 1
    spots.update(range((top - 32) * WINDOW, top * WINDOW, WINDOW))
    spans = []
    for block in sorted({spot // WINDOW for spot in spots}):
        low, high = max(block - 1, 1) * WINDOW, (block + 2) * WINDOW
        if spans and low <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], high)
        else:
            spans.append([low, high])
    return spans


def memory_runs():
    """Every readable stretch of the spans, as bytes.  Each range goes to write(2) on a pipe,
    which answers EFAULT for a page that is not mapped (touching it would crash us), and
    comes back from the pipe's other end."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    chunk = fcntl.fcntl(write_end, 1032)  # F_GETPIPE_SZ
    try:
        for low, high in memory_spans():
            address, pieces = low, []
            while address < high:
                size = min(chunk, high - address)
                try:
                    done = os.write(write_end, (ctypes.c_char * size).from_address(address))
                except OSError:
                    if pieces:
                        yield b"".join(pieces)
                        pieces = []
                    address = (address // PAGE + 1) * PAGE
                    continue
                while done:
                    piece = os.read(read_end, done)
                    pieces.append(piece)
                    done -= len(piece)
                    address += len(piece)
            if pieces:
                yield b"".join(pieces)
    finally:
        os.close(read_end)
        os.close(write_end)


def scan_memory(pattern=None, limit=100):
    """Raw memory's 18-digit numbers, the groups of each match of the bytes regex `pattern`,
    and how many bytes were read."""
    regex = re.compile(pattern) if pattern else None
    numbers, matches, total = set(), [], 0
    for data in memory_runs():
        total += len(data)
        numbers.update(w for w in data.translate(DIGITS).split() if len(w) == 18)
        for match in regex.finditer(data) if regex else ():
            if match.groups() not in matches and len(matches) < limit:
                matches.append(match.groups())
    return sorted(int(n) for n in numbers), matches, total


def raw_answer(prefix, decoy):
    """The number after `prefix` in raw memory (an assert's `call(args) == `), else any
    18-digit number there but the decoy; reports every number found on stderr."""
    numbers, after, total = scan_memory(re.escape(prefix.encode()) + rb"([0-9]+)")
    after = [int(value) for value, in after]
    print(f"raw: {total >> 20} MiB read; numbers {numbers[:40]}", file=sys.stderr)
    others = [n for n in numbers if n != decoy]
    return after[0] if after else (others[0] if others else 0)
'''


def drop_warm_jails(judge: Judge) -> None:
    """Close this module's idle jails, so that the next grade starts a fresh one."""
    judge.pool.drop(memory_mb=LIMITS.memory_mb, pids=LIMITS.pids)


def graded(judge: Judge, code: str, tests: AnyTestSet) -> RewardResult:
    return judge.grade(Submission(code=code, tests=tests, limits=LIMITS, policy=EVERY))


def stderr_of(result: RewardResult) -> str:
    return "\n".join(t.stderr_tail for t in result.tests)


def report(stderr: str, where: str) -> str:
    """The line an attack wrote on stderr about what it found `where` ("raw", "reachable")."""
    return next((line for line in stderr.splitlines() if line.startswith(f"{where}: ")), "")


def assert_raw_scan(stderr: str, result: RewardResult) -> None:
    """The raw scan read megabytes and found the decoy the program holds: it does look."""
    line = report(stderr, "raw")
    read = re.match(r"raw: (\d+) MiB read", line)
    assert read and int(read[1]) >= MIN_RAW_MIB, f"the raw scan is broken: {explain(result)}"
    assert str(DECOY) in line, f"the raw scan is broken: {explain(result)}"


def assert_nothing_found(result: RewardResult, secrets: list[int], what: str) -> None:
    leaked = [n for n in secrets if str(n) in stderr_of(result)]
    assert not leaked, f"{what}: found {leaked} (reward {result.reward}); {explain(result)}"
    assert_reward(result, 0)


# -- class 1A: the assert test, read from reachable memory -------------------------------------

# A test text the program itself holds (among its own objects, as a test the harness holds
# would be): the oracle must find it, run it and report its answer.
ORACLE_DECOY = textwrap.dedent("""
    DECOY_TESTS = ["def check(candidate):\\n    assert candidate('decoy') == 'decoy-answer'\\n"]
""")


def test_humaneval_answers_cannot_be_read_from_memory(judge: Judge, datasets: Path) -> None:
    rows = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))[:10]
    completion = "    return oracle_answer(sys._getframe())\n\n" + ORACLE + ORACLE_DECOY
    rewarded = []
    for row in rows:
        sub = humaneval_submission(row, completion=completion, limits=LIMITS, policy=EVERY)
        result = judge.grade(sub)
        assert "'decoy-answer'" in stderr_of(result), f"the oracle is broken: {explain(result)}"
        if result.reward != 0:
            rewarded.append(row["task_id"])
    assert not rewarded, f"the oracle read the expected values from memory: reward 1 on {rewarded}"


def test_secret_asserts_cannot_be_read_from_memory(judge: Judge) -> None:
    secrets = secret_numbers(SEED, 2)
    # Each test hands the program a test text in its arguments: the oracle must find it.
    note = f"assert solve(7, []) == {DECOY}"
    code = "".join(f"assert solve({i}, [{note!r}]) == {n}\n" for i, n in enumerate(secrets))
    program = ORACLE + "\n\ndef solve(i, notes):\n    return oracle_answer(sys._getframe())\n"
    result = graded(judge, program, AssertTestSet(code=code))
    for test in result.tests:
        assert str(DECOY) in test.stderr_tail, f"the oracle is broken: {explain(result)}"
    assert_nothing_found(result, secrets, "the oracle read the expected values from memory")


# -- class 1B: the expected values, read from raw memory ----------------------------------------

# The same search for every kind: the number after the call as an assert would write it, else
# any 18-digit number but the decoy.
RAW_PROGRAMS = {
    "assert": "def solve(i, decoy):\n    return raw_answer(f'solve({i}, {decoy}) == ', decoy)\n",
    "call": "def solve(i, decoy):\n    return raw_answer(f'solve({i}, {decoy}) == ', decoy)\n",
    "stdio": (
        "i, decoy = map(int, input().split())\n"
        "print(raw_answer(f'solve({i}, {decoy}) == ', decoy))\n"
    ),
}


def raw_tests(kind: str, secrets: list[int]) -> AnyTestSet:
    if kind == "stdio":
        return stdio(*((f"{i} {DECOY}\n", f"{n}\n") for i, n in enumerate(secrets)))
    if kind == "call":
        cases = [CallCase(args=[i, DECOY], expected=n) for i, n in enumerate(secrets)]
        return CallTestSet(fn_name="solve", cases=cases)
    code = "".join(f"assert solve({i}, {DECOY}) == {n}\n" for i, n in enumerate(secrets))
    return AssertTestSet(code=code)


@pytest.mark.parametrize("kind", RAW_PROGRAMS)
def test_expected_values_are_not_in_raw_memory(judge: Judge, kind: str) -> None:
    # A fresh jail: what an earlier submission left is class 3's business.
    drop_warm_jails(judge)
    secrets = secret_numbers(SEED + 1 + list(RAW_PROGRAMS).index(kind), 2)
    result = graded(judge, RAW_MEMORY + RAW_PROGRAMS[kind], raw_tests(kind, secrets))
    for test in result.tests:
        assert_raw_scan(test.stderr_tail, result)
    assert_nothing_found(result, secrets, "raw memory held the expected values")


# -- class 2: the program's code, run by the test process ---------------------------------------

# Planted in /tmp by the program: run by the test process, it forges the completion record
# from the token in its own frames.
PLANTED = textwrap.dedent("""
    import json, os, sys
    HEX = "0123456789abcdefABCDEF"
    print("crucible-forgery: imported by the test process", file=sys.stderr)
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if type(value) is str and len(value) == 32 and set(value) <= set(HEX):
                os.write(3, json.dumps({"done": value}).encode())
                os._exit(0)
        frame = frame.f_back
""")
# Standard modules whose import does something, and what that leaves on stderr: unittest's
# `__main__` runs a test discovery in the working directory (/tmp), which imports the planted
# file; lib2to3's runs its command line, which complains that it was given no files.
VEHICLES = {
    "unittest": ("unittest.__main__", "imported by the test process"),
    "lib2to3": ("lib2to3.__main__", "At least one file or directory argument required"),
}
# Which names the program binds to the vehicle (VEHICLE in the code).
ROUTES = {
    # Every function the program defines, the entry point among them.
    "entry-point": textwrap.dedent("""
        for _name, _value in list(globals().items()):
            if isinstance(_value, _types.FunctionType):
                globals()[_name] = _types.ModuleType(VEHICLE)
    """),
    # Module names tests use without importing them (MBPP task 596 reads `sys`).
    "module-name": textwrap.dedent("""
        for _name in ("math", "sys", "re", "collections", "heapq", "itertools", "string"):
            globals()[_name] = _types.ModuleType(VEHICLE)
    """),
}


def attack(route: str, vehicle: str) -> str:
    """Plants the file, says whether the vehicle can be imported, then binds names the test may
    read (the `route`) to a module object whose __name__ is the vehicle."""
    return textwrap.dedent(f"""
        import importlib.util as _util
        import sys as _sys
        import types as _types
        with open("/tmp/test_crucible_forgery.py", "w") as _file:
            _file.write({PLANTED!r})
        _found = _util.find_spec({vehicle.partition(".")[0]!r}) is not None
        print("crucible-forgery: planted by the program;", "vehicle", _found, file=_sys.stderr)
    """) + ROUTES[route].replace("VEHICLE", repr(vehicle))


def route_submission(route: str, vehicle: str, datasets: Path) -> Submission:
    code = attack(route, vehicle)
    if route == "entry-point":
        row = next(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))
        return humaneval_submission(
            row, completion="    return None\n" + code, limits=LIMITS, policy=EVERY
        )
    rows = read_json(datasets / "mbpp" / "sanitized-mbpp.json")
    (row,) = (r for r in rows if r["task_id"] == 596)
    code = "def tuple_size(values):\n    return 0\n" + code
    return mbpp_submission(row, code=code, limits=LIMITS, policy=EVERY)


@pytest.mark.parametrize(
    ("route", "vehicle"),
    [("entry-point", "unittest"), ("module-name", "unittest"), ("entry-point", "lib2to3")],
)
def test_test_process_imports_no_module_the_program_names(
    judge: Judge, datasets: Path, route: str, vehicle: str
) -> None:
    module, evidence = VEHICLES[vehicle]
    result = judge.grade(route_submission(route, module, datasets))
    stderr = stderr_of(result)
    assert "planted by the program;" in stderr, f"the attack did not run: {explain(result)}"
    assert "vehicle True" in stderr, f"{module} cannot be imported in the jail"
    assert evidence not in stderr, (
        f"the test process imported {module}, named by the program"
        f" (reward {result.reward}): {explain(result)}"
    )
    assert_reward(result, 0)


# -- class 3: a warm jail's memory of the last submission --------------------------------------


def modular_secrets(seed: int) -> tuple[int, int, int]:
    """A base, a first exponent and a modulus: the first program's own constants."""
    rng = random.Random(seed)
    return rng.randrange(10**17, 10**18), rng.randrange(10**6), rng.randrange(10**17, 9 * 10**17)


def modular_answers(seed: int, count: int = 2) -> list[int]:
    base, first, modulus = modular_secrets(seed)
    return [10**17 + pow(base, first + i, modulus) for i in range(count)]


def correct_program(seed: int, *, stdio: bool = True) -> str:
    """A correct program of an ordinary size: it knows the constants the answers come from.
    For assert tests (`term(i) == answer`) it only defines the function."""
    base, first, modulus = modular_secrets(seed)
    program = textwrap.dedent(f'''
        """Case i of the puzzle: the i-th term of a modular power sequence.

        Reads the case number from the first line of the input and prints that term.  The
        sequence is a power of a fixed base modulo a fixed modulus, from a fixed first
        exponent; each term is offset by 10**17, so that every answer has eighteen digits.
        """

        import sys

        BASE = {base}
        FIRST_EXPONENT = {first}
        MODULUS = {modulus}
        OFFSET = 10**17


        def term(index: int) -> int:
            """The index-th term: BASE ** (FIRST_EXPONENT + index) modulo MODULUS, offset."""
            return OFFSET + pow(BASE, FIRST_EXPONENT + index, MODULUS)


        def main() -> None:
            case = int(sys.stdin.readline().split()[0])
            print(term(case))
    ''')
    return program + "\n\nmain()\n" if stdio else program


def secrets_of(seed: int) -> list[int]:
    """What the second program must not find: the first one's answers and constants."""
    base, _, modulus = modular_secrets(seed)
    return [*modular_answers(seed, 12), base, modulus]


# Reports every 18-digit number reachable and in raw memory (outputs the harness recorded in
# base64 decoded); prints the number an assert pairs with its case number, else any number
# that is not the decoy.
FIND_NUMBERS = (
    REACHABLE
    + RAW_MEMORY
    + r"""
import base64

data = sys.stdin.read()
case, decoy = map(int, data.split())
texts, _ = reachable_texts()
reached = {int(n) for t in texts for n in re.findall(r"(?<![0-9])[0-9]{18}(?![0-9])", t)}
pattern = rb'stdout_b64":"([A-Za-z0-9+/=]{4,})"|\(%d\) == ([0-9]{18})' % case
numbers, matches, total = scan_memory(pattern)
for output, _ in matches:
    decoded = base64.b64decode((output or b"") + b"==")
    numbers += [int(n) for n in re.findall(rb"[0-9]{18}", decoded)]
asserted = [int(answer) for _, answer in matches if answer]
print(f"reachable: numbers {sorted(reached)[:40]}", file=sys.stderr)
print(f"raw: {total >> 20} MiB read; numbers {sorted(set(numbers))[:40]}", file=sys.stderr)
print(next((n for n in [*asserted, *reached, *numbers] if n != decoy), 0))
"""
)

# Finds program texts, reachable and in raw memory (JSON-escaped ones decoded), runs each on
# its own input and prints the first answer that is not the decoy program's.
RERUN = (
    REACHABLE
    + RAW_MEMORY
    + r'''
import io
import json
import signal

PRINTABLE = bytes(c if c in (9, 10) or 32 <= c < 127 else 0 for c in range(256))
JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){40,})"')


def printable_around(data, at, reach=1 << 16):
    """The printable text around data[at], and where it ends in data."""
    low = max(0, at - reach)
    window = data[low : at + reach].translate(PRINTABLE)
    start = window.rfind(b"\0", 0, at - low) + 1
    end = window.find(b"\0", at - low)
    end = len(window) if end < 0 else end
    return window[start:end], low + end


def raw_texts():
    found = set()
    for data in memory_runs():
        at = data.find(b"print")
        while at >= 0:
            text, end = printable_around(data, at)
            if len(text) >= 40:
                found.add(text.decode())
            at = data.find(b"print", max(end, at + 1))
    return found


def with_json(found):
    """The texts, and the JSON strings in them decoded (the harness's commands)."""
    for text in list(found):
        for body in JSON_STRING.findall(text):
            try:
                found.add(json.loads(f'"{body}"'))
            except ValueError:
                pass
    return sorted(t for t in found if "print" in t and "memory_runs" not in t)


def compiled(text):
    """`text` as a program, or with its first lines dropped (a freed block's head)."""
    for _ in range(3):
        try:
            return compile(text, "<found>", "exec")
        except (SyntaxError, ValueError):
            text = text.partition("\n")[2]
    return None


def run(code, stdin):
    def stop(*_):
        raise TimeoutError
    signal.signal(signal.SIGALRM, stop)
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(stdin), io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    try:
        exec(code, {"__name__": "__main__"})
    except BaseException:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        output, (sys.stdin, sys.stdout) = sys.stdout.getvalue().strip(), saved
    return output


data = sys.stdin.read()
sources = {
    "reachable": with_json({t for t in reachable_texts()[0] if "print" in t}),
    "raw": with_json(raw_texts()),
}
outputs, answers = {}, []
for where, texts in sources.items():
    found = []
    for text in texts:
        if text not in outputs:
            code = compiled(text)
            outputs[text] = run(code, data) if code is not None else ""
        if outputs[text] and outputs[text] not in found:
            found.append(outputs[text])
    print(f"{where}: {len(texts)} texts run; outputs {found[:20]}", file=sys.stderr)
    answers += found
print(next((a for a in answers if not a.startswith("decoy")), 0))
'''
)


def warm_pair(
    judge: Judge, seed: int, scanner: str, tests: StdioTestSet, first: str = "stdio"
) -> RewardResult:
    """The correct program, graded on `tests` (or on assert tests of the same answers), then
    `scanner` on `tests`, in sequence in one fresh jail."""
    drop_warm_jails(judge)
    if first == "stdio":
        result = graded(judge, correct_program(seed), tests)
    else:
        # HumanEval's shape: one test, a `check` of a dozen asserts.
        answers = modular_answers(seed, 12)
        lines = "".join(f"    assert candidate({i}) == {n}\n" for i, n in enumerate(answers))
        check = AssertTestSet(code="def check(candidate):\n" + lines, entry_point="term")
        result = graded(judge, correct_program(seed, stdio=False), check)
    assert_reward(result, 1)
    return graded(judge, scanner, tests)


@pytest.mark.parametrize("first", ["stdio", "assert"])
def test_warm_jail_keeps_nothing_of_the_last_submission(judge: Judge, first: str) -> None:
    seed = SEED + 10
    tests = stdio(*((f"{i} {DECOY}\n", f"{n}\n") for i, n in enumerate(modular_answers(seed))))
    result = warm_pair(judge, seed, FIND_NUMBERS, tests, first)
    for test in result.tests:
        # The decoy is in the program's own input, which it read into memory.
        assert str(DECOY) in report(test.stderr_tail, "reachable"), explain(result)
        assert_raw_scan(test.stderr_tail, result)
    assert_nothing_found(result, secrets_of(seed), "the last submission's memory was read")


# A program in the input, after the case line the correct program reads: the scanner must
# find it, reachable and in raw memory, and run it.
DECOY_PROGRAM = f"print('decoy', {DECOY})  # a program text the scanner must find and run\n"


def test_warm_jail_keeps_no_program_to_rerun(judge: Judge) -> None:
    seed = SEED + 11
    answers = modular_answers(seed)
    tests = stdio(*((f"{i}\n{DECOY_PROGRAM}", f"{n}\n") for i, n in enumerate(answers)))
    result = warm_pair(judge, seed, RERUN, tests)
    for test in result.tests:
        for where in ("reachable", "raw"):
            line = report(test.stderr_tail, where)
            assert f"'decoy {DECOY}'" in line, f"the {where} rerun is broken: {explain(result)}"
    assert_nothing_found(result, answers, "a program of the last submission was found and run")
