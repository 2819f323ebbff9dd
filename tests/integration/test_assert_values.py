"""Assert tests judge the standard values correct programs return as the dataset's own harness
does (issue 13): lazy iterators (generators, `map`, `filter`, `zip`, itertools), `Fraction`,
`Decimal`, namedtuples, dates and times, ranges, dict views, `bytearray`, `array`, `deque`.

The datasets' harnesses run the program and its test in one process, so the rule is theirs:
each program here is also run that way, bare (the jail's interpreter, program then test, as
HumanEval's and MBPP's harnesses do), and the judge must give reward 1 exactly where the bare
run passes.  The tests are the datasets' own wherever a real task fits (HumanEval 2, 4, 8,
30, 33, 37, 53, 155, 163; MBPP 2, 7, 111, 140, 232; MBPP+ 249, whose tests wrap the result
in `set(...)` or `tuple(...)`), else MBPP-style asserts written here.  Hostile programs that
forge tagged replies, return infinite or lying iterators, or break off mid-iteration score 0
as graded results, never a judge fault.
"""

from __future__ import annotations

import subprocess
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

from crucible.datasets import (
    humaneval_submission,
    mbpp_plus_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.schema import AssertTestSet, Limits, RewardResult, Submission, Verdict
from tests.integration.hostile import assert_reward, explain, secret_numbers
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration

BARE_TIMEOUT_S = 20
QUICK = Limits(time_s=1, memory_mb=256)
SEED = 0x13


# -- building the submissions -----------------------------------------------------------------


def _rows(datasets: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for row in read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"):
        rows[row["task_id"]] = row
    for row in read_json(datasets / "mbpp" / "sanitized-mbpp.json"):
        rows[f"MBPP/{row['task_id']}"] = row
    for row in read_jsonl(datasets / "evalplus" / "MbppPlus.jsonl"):
        rows[row["task_id"]] = row
    return rows


def _submission(rows: dict[str, dict[str, Any]], task: str, code: str) -> Submission:
    """`code` against a real task's tests: a HumanEval completion, or an MBPP program."""
    if task.startswith("HumanEval/"):
        return humaneval_submission(rows[task], completion=code)
    if task.startswith("Mbpp/"):
        return mbpp_plus_submission(rows[task], code=code)
    return mbpp_submission(rows[task], code=code)


def _asserts(code: str, test: str) -> Submission:
    """A program and MBPP-style asserts written here (one test each)."""
    return Submission(
        code=textwrap.dedent(code).lstrip("\n"),
        tests=AssertTestSet(code=textwrap.dedent(test).lstrip("\n")),
    )


# A HumanEval completion is the function's body (indented), then any module-level code; an
# MBPP or MBPP+ one is the whole program.
REAL_CORRECT = {
    "generator HumanEval/33": (
        "HumanEval/33",
        """\
    thirds = iter(sorted(l[::3]))
    return (next(thirds) if i % 3 == 0 else x for i, x in enumerate(l))
""",
    ),
    "map HumanEval/37": (
        "HumanEval/37",
        """\
    evens = sorted(l[::2])
    return map(lambda ix: evens[ix[0] // 2] if ix[0] % 2 == 0 else ix[1], enumerate(l))
""",
    ),
    "Fraction HumanEval/2": (
        "HumanEval/2",
        """\
    return Fraction(number) % 1


from fractions import Fraction
""",
    ),
    "Fraction HumanEval/4": (
        "HumanEval/4",
        """\
    values = [Fraction(x) for x in numbers]
    mean = sum(values) / len(values)
    return sum(abs(x - mean) for x in values) / len(values)


from fractions import Fraction
""",
    ),
    "Decimal HumanEval/53": (
        "HumanEval/53",
        """\
    return Decimal(x) + Decimal(y)


from decimal import Decimal
""",
    ),
    "namedtuple HumanEval/8": (
        "HumanEval/8",
        """\
    return SumProduct(sum(numbers), math.prod(numbers))


import math
from collections import namedtuple

SumProduct = namedtuple("SumProduct", "sum product")
""",
    ),
    "typing.NamedTuple HumanEval/155": (
        "HumanEval/155",
        """\
    digits = [int(d) for d in str(abs(num))]
    odd = sum(d % 2 for d in digits)
    return Counts(len(digits) - odd, odd)


from typing import NamedTuple


class Counts(NamedTuple):
    even: int
    odd: int
""",
    ),
    "filter MBPP+ 249": (
        "Mbpp/249",
        """\
def intersection_array(a, b):
    return filter(set(a).__contains__, b)
""",
    ),
    "generator MBPP 7": (
        "MBPP/7",
        """\
def find_char_long(text):
    return (w for w in text.split() if len(w) >= 4)
""",
    ),
    "set iterator MBPP 111": (
        "MBPP/111",
        """\
def common_in_nested_lists(lists):
    return iter(set(lists[0]).intersection(*lists[1:]))
""",
    ),
    "itertools.chain MBPP 140": (
        "MBPP/140",
        """\
import itertools

def extract_singly(lists):
    return itertools.chain.from_iterable(lists)
""",
    ),
    "itertools.islice MBPP 232": (
        "MBPP/232",
        """\
import itertools

def larg_nnum(xs, n):
    return itertools.islice(sorted(xs, reverse=True), n)
""",
    ),
    "dict keys view MBPP 2": (
        "MBPP/2",
        """\
def similar_elements(a, b):
    return dict.fromkeys(set(a) & set(b)).keys()
""",
    ),
}

# Values the datasets' tests reject in one process too: reward 0 here as there.
REAL_WRONG = {
    "generator compared with a list HumanEval/30": (
        "HumanEval/30",
        "    return (x for x in l if x > 0)\n",
    ),
    "Decimal minus a float HumanEval/2": (
        "HumanEval/2",
        "    return Decimal(number) % 1\n\n\nfrom decimal import Decimal\n",
    ),
    "range compared with a list HumanEval/163": (
        "HumanEval/163",
        "    lo, hi = sorted((a, b))\n    return range(max(2, lo + lo % 2), min(hi, 8) + 1, 2)\n",
    ),
    "generator with a wrong item HumanEval/33": (
        "HumanEval/33",
        "    return (x + (i == 0) for i, x in enumerate(l))\n",
    ),
    "Fraction off by a third HumanEval/4": (
        "HumanEval/4",
        """\
    values = [Fraction(x) for x in numbers]
    return sum(values) / len(values) / 3


from fractions import Fraction
""",
    ),
    "namedtuple with the values swapped HumanEval/8": (
        "HumanEval/8",
        """\
    return SumProduct(math.prod(numbers), sum(numbers))


import math
from collections import namedtuple

SumProduct = namedtuple("SumProduct", "sum product")
""",
    ),
}

# (program, asserts), each a correct solution the asserts accept in one process.
WRITTEN_CORRECT = {
    "zip": (
        "def pair_up(keys, values):\n    return zip(keys, values)\n",
        "assert dict(pair_up('ab', [1, 2])) == {'a': 1, 'b': 2}\n"
        "assert list(pair_up('a', [])) == []\n",
    ),
    "enumerate": (
        "def numbered(text):\n    return enumerate(text, 1)\n",
        "assert list(numbered('ab')) == [(1, 'a'), (2, 'b')]\n",
    ),
    "reversed": (
        "def backwards(text):\n    return reversed(text)\n",
        "assert ''.join(backwards('abc')) == 'cba'\n",
    ),
    "generator used lazily": (
        """
        def primes():
            n = 2
            while True:
                if all(n % p for p in range(2, int(n ** 0.5) + 1)):
                    yield n
                n += 1
        """,
        "import itertools\n"
        "assert list(itertools.islice(primes(), 5)) == [2, 3, 5, 7, 11]\n"
        "assert next(primes()) == 2\n"
        "assert 97 in primes()\n"
        "assert sorted(itertools.takewhile((9).__gt__, primes()), reverse=True) == [7, 5, 3, 2]\n",
    ),
    "range": (
        "def evens_below(n):\n    return range(0, n, 2)\n",
        "assert list(evens_below(9)) == [0, 2, 4, 6, 8]\n"
        "assert len(evens_below(10)) == 5\n"
        "assert evens_below(10) == range(0, 10, 2)\n"
        "assert evens_below(10)[-1] == 8\n",
    ),
    "dict values and items views": (
        "def scores(d):\n    return d.values()\n\ndef pairs(d):\n    return d.items()\n",
        "assert sorted(scores({'a': 2, 'b': 1})) == [1, 2]\nassert pairs({'a': 1}) == {('a', 1)}\n",
    ),
    "bytearray": (
        "def to_ascii(text):\n    return bytearray(text, 'ascii')\n",
        "assert to_ascii('hi') == b'hi'\nassert to_ascii('hi').decode() == 'hi'\n",
    ),
    "date": (
        "import datetime\ndef next_day(day):\n    return day + datetime.timedelta(days=1)\n",
        "from datetime import date\n"
        "assert next_day(date(2024, 2, 28)) == date(2024, 2, 29)\n"
        "assert next_day(date(2024, 2, 28)).weekday() == 3\n",
    ),
    "datetime, time and timedelta": (
        """
        import datetime
        def parse(text):
            moment = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")
            return moment.replace(tzinfo=datetime.timezone.utc)
        def opening(text):
            return parse(text).time()
        def gap(a, b):
            return parse(b) - parse(a)
        """,
        "import datetime\n"
        "utc = datetime.timezone.utc\n"
        "assert parse('2024-02-29 10:00') == datetime.datetime(2024, 2, 29, 10, tzinfo=utc)\n"
        "assert parse('2024-02-29 10:00').isoformat() == '2024-02-29T10:00:00+00:00'\n"
        "assert opening('2024-01-01 09:30') == datetime.time(9, 30)\n"
        "assert gap('2024-01-01 09:30', '2024-01-02 10:00').total_seconds() == 88200\n",
    ),
    "deque, complex, frozenset": (
        """
        import collections
        def last(xs, n):
            return collections.deque(xs, maxlen=n)
        def root():
            return (-1) ** 0.5
        def letters(text):
            return frozenset(text)
        """,
        "assert list(last(range(5), 2)) == [3, 4]\n"
        "assert abs(root() - 1j) < 1e-9\n"
        "assert letters('aba') == {'a', 'b'}\n",
    ),
    "array": (
        "import array\ndef squares(n):\n    return array.array('l', (i * i for i in range(n)))\n",
        "assert list(squares(3)) == [0, 1, 4]\nassert sum(squares(4)) == 14\n",
    ),
    "SimpleNamespace": (
        "import types\ndef point(x, y):\n    return types.SimpleNamespace(x=x, y=y)\n",
        "assert point(1, 2).x == 1\nassert vars(point(1, 2)) == {'x': 1, 'y': 2}\n",
    ),
    "a Fraction the test builds with the program's import": (
        "from fractions import Fraction\ndef half(n):\n    return Fraction(n, 2)\n",
        "assert half(3) == Fraction(3, 2)\nassert half(3).denominator == 2\n",
    ),
}

WRITTEN_WRONG = {
    "values view compared with a list": (
        "def scores(d):\n    return d.values()\n",
        "assert scores({'a': 1}) == [1]\n",
    ),
    "iterator without a length": (
        "def pair_up(a, b):\n    return zip(a, b)\n",
        "assert len(pair_up('ab', 'cd')) == 2\n",
    ),
    "generator that is not a list": (
        "def squares(n):\n    return (i * i for i in range(n))\n",
        "assert squares(3) == [0, 1, 4]\n",
    ),
    "generator that ends early": (
        "def squares(n):\n    return (i * i for i in range(n - 1))\n",
        "assert list(squares(3)) == [0, 1, 4]\n",
    ),
}


def _cases(
    datasets: Path, real: dict[str, tuple[str, str]], written: dict[str, Any]
) -> dict[str, Submission]:
    rows = _rows(datasets)
    cases = {name: _submission(rows, task, code) for name, (task, code) in real.items()}
    cases.update({name: _asserts(code, test) for name, (code, test) in written.items()})
    return cases


# -- the bare, one-process run (the datasets' own harness) ------------------------------------


def _bare_run(judge: Judge, submission: Submission) -> str:
    """Program then test in one interpreter (the jail's), as HumanEval's and MBPP's harnesses
    run them: "passes", or the last line of what it wrote to stderr.  Only ever our own
    fixtures, never a hostile program."""
    tests = submission.tests
    assert isinstance(tests, AssertTestSet)
    check = f"\ncheck({tests.entry_point})\n" if tests.entry_point else ""
    source = f"{tests.prelude or ''}\n{submission.code}\n{tests.code}{check}"
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [judge.settings.python_path, "-c", source],
            cwd=folder,
            capture_output=True,
            timeout=BARE_TIMEOUT_S,
            check=False,
        )
    if done.returncode == 0:
        return "passes"
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    return f"fails ({lines[-1] if lines else done.returncode})"


def _judged_as_bare(judge: Judge, cases: dict[str, Submission], reward: int) -> None:
    mismatches = []
    for name, submission in cases.items():
        result = judge.grade(submission)
        bare = _bare_run(judge, submission)
        if (
            (bare == "passes") != bool(reward)
            or result.reward != reward
            or result.status != "graded"
        ):
            mismatches.append(f"{name}: bare {bare}, judged {explain(result)}")
    assert not mismatches, "\n".join(mismatches)


def test_correct_programs_returning_standard_values_pass(judge: Judge, datasets: Path) -> None:
    _judged_as_bare(judge, _cases(datasets, REAL_CORRECT, WRITTEN_CORRECT), reward=1)


def test_wrong_values_fail_as_in_one_process(judge: Judge, datasets: Path) -> None:
    _judged_as_bare(judge, _cases(datasets, REAL_WRONG, WRITTEN_WRONG), reward=0)


# -- hostile programs -------------------------------------------------------------------------

A, B = secret_numbers(SEED, 2)
# The program's own codec (its process's copy of `rpc`) answers the call with forged tagged
# data in place of the value "forge" (the arguments it sends back stay honest).
FORGE = """
import sys
rpc = sys.modules["rpc"]
honest = rpc.Codec.encode
rpc.Codec.encode = lambda self, value: {forged} if value == "forge" else honest(self, value)
def solve(i):
    return "forge"
"""
FORGED = {
    "zero denominator": {"$F": [A, 0]},
    "namedtuple field not a name": {"$N": ["P", ["__class__"], [A]]},
    "namedtuple field code": {"$N": ["P", ["x=0\nimport os"], [A]]},
    "namedtuple values short": {"$N": ["P", ["x", "y"], [A]]},
    "huge decimal exponent": {"$E": "1E+999999999"},
    "decimal not a number": {"$E": "__import__('os')"},
    "unhashable key": {"$K": [[A]]},
    "bad date": {"$date": [2024, 2, 30]},
    "bad time zone": {"$timezone": [1, 0, 0, "x"]},
    "unknown class": {"$o": "Evil", "id": 0, "a": {}},
    "unknown tag": {"$eval": "1"},
    "iterator by name": {"$i": "solve"},
    "object by name": {"$h": "solve"},
}
# A test that takes any exception of the call for the right answer: a forged reply must not be one.
LENIENT = AssertTestSet(
    code=f"try:\n    answer = solve(0)\nexcept Exception:\n    answer = {A}\nassert answer == {A}\n"
)


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
def test_forged_tagged_replies_score_zero(judge: Judge, forged: Any) -> None:
    code = FORGE.format(forged=repr(forged))
    for tests in (AssertTestSet(code=f"assert solve(0) == {A}\n"), LENIENT):
        result = judge.grade(Submission(code=code, tests=tests))
        assert_reward(result, 0)
        assert result.tests[0].verdict in {Verdict.runtime_error, Verdict.wrong_answer}, explain(
            result
        )


LYING = """
class Liar:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __bool__(self): return True
    def __len__(self): return 1
    def __contains__(self, item): return True
    def __iter__(self): return self
    def __next__(self): return Liar()
    def __lt__(self, other): return False
def solve(i):
    return Liar()
"""

HOSTILE = {
    "infinite generator listed": (
        "import itertools\ndef solve(i):\n    return itertools.count()\n",
        f"assert list(solve(0)) == [{A}]\n",
    ),
    "infinite generator of large items listed": (
        "import itertools\ndef solve(i):\n    return itertools.repeat('x' * 10**7)\n",
        f"assert list(solve(0)) == [{A}]\n",
    ),
    "infinite generator compared": (
        "import itertools\ndef solve(i):\n    return itertools.count()\n",
        f"assert solve(0) == {A}\n",
    ),
    "generator that spins": (
        "def solve(i):\n    while True:\n        pass\n    yield\n",
        f"assert next(solve(0)) == {A}\n",
    ),
    "generator that exits the program": (
        "import os\ndef solve(i):\n    yield 1\n    os._exit(0)\n",
        f"assert list(solve(0)) == [1, {A}]\n",
    ),
    # A test that takes any exception for the answer must not take the program's exit.
    "exit mid-call under except Exception": (
        "import os\ndef solve(i):\n    os._exit(0)\n",
        f"try:\n    answer = solve(0)\nexcept Exception:\n    answer = {A}\nassert answer == {A}\n",
    ),
    "exit mid-iteration under except Exception": (
        "import os\ndef solve(i):\n    yield 1\n    os._exit(0)\n",
        f"try:\n    answer = list(solve(0))\nexcept Exception:\n    answer = {A}\n"
        f"assert answer == {A}\n",
    ),
    "lying iterator compared": (LYING, f"assert solve(0) == {A}\n"),
    "lying iterator listed": (LYING, f"assert list(solve(0))[:1] == [{A}]\n"),
    "lying iterator searched": (LYING, f"assert {A} in solve(0)\n"),
    "lying iterator measured": (LYING, f"assert len(solve(0)) == {B}\n"),
    "lying iterator sorted": (
        LYING,
        f"import itertools\nassert sorted(itertools.islice(solve(0), 2)) == [{A}, {B}]\n",
    ),
}


@pytest.mark.parametrize(("code", "test"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_iterators_score_zero(judge: Judge, code: str, test: str) -> None:
    result: RewardResult = judge.grade(
        Submission(code=code, tests=AssertTestSet(code=test), limits=QUICK)
    )
    assert_reward(result, 0)
    assert result.tests[0].verdict != Verdict.passed, explain(result)
