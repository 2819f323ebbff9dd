"""Isolation for programs in the languages the harness execs (C, C++, Java, JavaScript, Rust,
PyPy): C and C++ make any system call they like directly, the others reach the jail through
their runtimes (the JVM, Node, the Rust standard library, PyPy) and the programs they spawn.

Every program in `hostile_native/` (one file an attack, format in its README) is graded by
the real judge in its language and must end as its header says: probes print
"<name> contained" for every attempt the jail stopped, bombs get their limit's verdict,
compiler attacks a compile error.  After each, nothing may have reached the host, an honest
a+b in C++ and in the program's own language must still get reward 1 in the jail the attack
left warm, and a Python report of what a program inherits there (limits, scheduling,
folders) must read as in a fresh jail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import platform
import re
import secrets
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crucible.schema import (
    Language,
    Limits,
    Policy,
    RewardResult,
    Status,
    StdioTestSet,
    Submission,
    Verdict,
)
from tests.integration.conftest import REPO
from tests.integration.hostile import (
    assert_no_marked_leftovers,
    explain,
    program,
    secret_numbers,
    stdio,
)
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

NATIVE = Path(__file__).resolve().parent / "hostile_native"
# A case's language, by its file's suffix (`.py` files here are PyPy's: CPython's hostile
# programs are `hostile_corpus/`), and how its header lines start.
LANGUAGES = {
    ".c": Language.c,
    ".cpp": Language.cpp,
    ".java": Language.java,
    ".js": Language.javascript,
    ".rs": Language.rust,
    ".go": Language.go,
    ".py": Language.pypy,
}
COMMENT = {Language.pypy: "# "}
CASE_FILES = sorted(p.name for p in NATIVE.iterdir() if p.suffix in LANGUAGES)
# A (memory, pids) key of this module's own, so the warm jails it checks are the ones it left.
LIMITS = Limits(time_s=1, wall_time_s=2, memory_mb=136, output_kb=1024, pids=28)
HEADER_KEYS = {"attack", "tests", "verdicts", "message", "limits", "compile-time-s", "arch"}
SHAPES = {"probe", "bomb", "secret", "compile_error", "after-earlier"}
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# A helper of this folder the test pastes in: `#include "probe.h"` in C, a comment line
# `// include "probe.java.inc"` in the other languages.
INCLUDE = re.compile(r'^(?:#include|// include) "(\w+\.(?:h|\w+\.inc))"$', re.MULTILINE)

HONEST_SUM = """#include <iostream>
int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << a + b << std::endl;
}
"""
# The same honest a+b in every other language, graded after each case in its own language too.
HONEST = {
    Language.c: "#include <stdio.h>\nint main(void) { long long a, b;"
    ' if (scanf("%lld %lld", &a, &b) == 2) printf("%lld\\n", a + b); return 0; }\n',
    Language.cpp: HONEST_SUM,
    Language.java: "import java.util.*;\npublic class Main { public static void main(String[] x) {"
    " Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n",
    Language.javascript: 'const [a, b] = require("fs").readFileSync(0, "utf8").trim()'
    ".split(/\\s+/);\nconsole.log(String(BigInt(a) + BigInt(b)));\n",
    Language.rust: "use std::io::Read;\nfn main() { let mut s = String::new();"
    " std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> ="
    ' s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }\n',
    Language.pypy: "a, b = map(int, input().split())\nprint(a + b)\n",
    Language.go: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int64\n'
    "\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)\n}\n",
}
SUM = stdio(("3 4\n", "7\n"))
# What a program inherits from the jail: a warm jail must show what a fresh one shows.
INHERITED = """
import os, resource
for name in sorted(n for n in dir(resource) if n.startswith("RLIMIT_")):
    print(name, resource.getrlimit(getattr(resource, name)))
print("scheduler", os.sched_getscheduler(0), os.sched_getparam(0).sched_priority)
print("affinity", sorted(os.sched_getaffinity(0)))
print("nice", os.getpriority(os.PRIO_PROCESS, 0))
for folder in ("/code", "/tmp", "/dev/shm"):
    print(folder, sorted(os.listdir(folder)))
"""


@dataclass(frozen=True, slots=True)
class Case:
    """One program of `hostile_native/` and what grading it must give."""

    name: str
    language: Language
    shape: str
    names: tuple[str, ...]  # probe lines, "name" or "name=word"
    verdicts: tuple[frozenset[Verdict], ...]  # per test, in order
    message: str
    limits: Limits
    compile_time_s: float | None
    arch: str | None
    source: str

    @classmethod
    def read(cls, name: str) -> Case:
        language = LANGUAGES[Path(name).suffix]
        comment = COMMENT.get(language, "// ")
        text = (NATIVE / name).read_text(encoding="utf-8")
        head, _, body = text.partition("\n\n")
        fields: dict[str, str] = {}
        for line in head.splitlines():
            key, colon, value = line.removeprefix(comment).partition(": ")
            if not line.startswith(comment) or not colon or key not in HEADER_KEYS:
                raise ValueError(f"{name}: bad header line {line!r}")
            fields[key] = value.strip()
        shape, *names = fields["tests"].split()
        if shape not in SHAPES or "attack" not in fields:
            raise ValueError(f"{name}: needs an attack and a known test shape")
        verdicts = fields.get("verdicts", "")
        time = fields.get("compile-time-s")
        return cls(
            name=name,
            language=language,
            shape=shape,
            names=tuple(names),
            verdicts=tuple(frozenset(map(Verdict, g.split())) for g in verdicts.split("/") if g),
            message=fields.get("message", ""),
            limits=LIMITS.model_copy(update=json.loads(fields.get("limits", "{}"))),
            compile_time_s=float(time) if time else None,
            arch=fields.get("arch"),
            source=INCLUDE.sub(lambda m: (NATIVE / m.group(1)).read_text(), body),
        )

    def expected_lines(self) -> str:
        words = (n.partition("=") for n in self.names)
        return "".join(f"{name} {word or 'contained'}\n" for name, _, word in words)


CASES = {name: Case.read(name) for name in CASE_FILES}


# -- the host: what the programs aim at ---------------------------------------------------------


class Host:
    """Listeners a jailed program must never reach: TCP and UDP on loopback, TCP on this
    machine's address on its default route (when it has one), an abstract unix name."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.unix_name = f"crucible-native-{secrets.token_hex(6)}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(f"\0{self.unix_name}")
        self.unix.listen()
        address = _route_address()
        self.routed = socket.create_server((address, 0)) if address else None
        self.listeners = [s for s in (self.tcp, self.unix, self.routed) if s is not None]
        for sock in (*self.listeners, self.udp):
            sock.setblocking(False)

    def placeholders(self, marker: str, limits: Limits) -> dict[str, str]:
        routed = self.routed.getsockname()[:2] if self.routed else ("10.255.255.254", 9)
        return {
            "MARKER": marker,
            "TCP_PORT": str(self.tcp.getsockname()[1]),
            "UDP_PORT": str(self.udp.getsockname()[1]),
            "UNIX_NAME": self.unix_name,
            "HOST_ADDRESS": str(routed[0]),
            "HOST_PORT": str(routed[1]),
            "REPO": str(REPO),
            "PIDS": str(limits.pids),
        }

    def reached(self) -> list[str]:
        """What arrived at a listener since the last look."""
        arrived = []
        for server in self.listeners:
            with contextlib.suppress(BlockingIOError):
                conn, peer = server.accept()
                conn.close()
                arrived.append(f"a connection to {server.getsockname()!r} from {peer!r}")
        with contextlib.suppress(BlockingIOError):
            data, peer = self.udp.recvfrom(1024)
            arrived.append(f"a datagram from {peer!r}: {data!r}")
        return arrived

    def close(self) -> None:
        for sock in (*self.listeners, self.udp):
            sock.close()


def _route_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing
        except OSError:
            return None
        address: str = s.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    outside = Host()
    yield outside
    outside.close()


@pytest.fixture(scope="module")
def quick_compiles() -> Iterator[Judge]:
    """A judge whose compiles may take 3 s, for the compiler bombs."""
    judge = Judge(JudgeSettings(compile_time_s=3))
    yield judge
    judge.close()


Inherited = Callable[[Limits], str]


def inherited_limits(limits: Limits) -> Limits:
    """The limits a jail's inheritance is read under: LIMITS, in the jail of `limits`' key."""
    return LIMITS.model_copy(update={"memory_mb": limits.memory_mb, "pids": limits.pids})


@pytest.fixture(scope="module")
def fresh_inherited(judge: Judge) -> Inherited:
    """What a program inherits in a fresh jail of a case's (memory, pids) key, read once a
    key, before any case runs in that key's jails."""
    seen: dict[tuple[int, int], str] = {}

    def fresh(limits: Limits) -> str:
        key = (limits.memory_mb, limits.pids)
        if key not in seen:
            judge.pool.drop(memory_mb=limits.memory_mb, pids=limits.pids)
            seen[key] = judge.run(INHERITED, stdin="", limits=inherited_limits(limits)).stdout
        return seen[key]

    return fresh


# -- grading --------------------------------------------------------------------------------------


def grade_warm(judge: Judge, submission: Submission) -> tuple[RewardResult, bool]:
    """Grade `submission`; whether it ran in a jail that an earlier submission left warm."""
    key = (submission.limits.memory_mb, submission.limits.pids)
    before = {id(j): j.uses for j in judge.pool.idle() if j.key[:2] == key}
    result = judge.grade_or_error(submission)
    after = {id(j): j.uses for j in judge.pool.idle() if j.key[:2] == key}
    return result, any(after.get(jail) == uses + 1 for jail, uses in before.items())


def health_problems(judge: Judge, case: Case, fresh: str) -> list[str]:
    """Whether the jail a program left grades as a fresh one: an honest a+b in C++ and in the
    case's own language, in the warm jail when one was left, and what a program inherits
    there (`fresh`: what it inherits in a fresh jail of the same key)."""
    limits = case.limits
    problems = []
    for language in dict.fromkeys((Language.cpp, case.language)):
        warm = any(j.key[:2] == (limits.memory_mb, limits.pids) for j in judge.pool.idle())
        honest = Submission(language=language, code=HONEST[language], tests=SUM, limits=limits)
        result, reused = grade_warm(judge, honest)
        if result.status != Status.graded or result.reward != 1:
            problems.append(f"an honest {language.value} a+b right after: {explain(result)}")
        elif warm and not reused:
            problems.append(f"the honest {language.value} a+b did not run in the warm jail")
    seen = judge.run(INHERITED, stdin="", limits=inherited_limits(limits))
    if seen.stdout != fresh:
        problems.append(f"a later program inherits {seen.stdout!r}{seen.error or ''}")
        problems.append(f"where a fresh jail gives {fresh!r}")
    return problems


def case_problems(case: Case, result: RewardResult, answers: list[str]) -> list[str]:
    """How `result` differs from what the case's header allows."""
    if result.status != Status.graded:
        return [f"not graded: {explain(result)}"]
    if case.shape in ("probe", "after-earlier"):
        return [] if result.reward == 1 else [f"an attempt got through: {explain(result)}"]
    if case.shape == "compile_error":
        built = result.compile is None or result.compile.ok
        said = all(case.message in t.message for t in result.tests)
        if result.verdict != Verdict.compile_error or built or not said:
            return [f"not the compile error {case.message!r}: {explain(result)}"]
        return []
    problems = [] if result.reward == 0 else [f"reward {result.reward}"]
    for test, allowed in zip(result.tests, case.verdicts, strict=True):
        if test.verdict not in allowed:
            problems.append(f"test {test.index}: {test.verdict}, not {sorted(allowed)}")
    if any(answer.strip() in t.stderr_tail for t in result.tests for answer in answers):
        problems.append("an expected answer appeared in the program's stderr")
    return problems + ([explain(result)] if problems else [])


def build_tests(case: Case) -> tuple[StdioTestSet, list[str]]:
    """The case's test set and its answers, which the program cannot know."""
    if case.shape == "bomb":
        answer = f"{secret_numbers(secrets.randbits(32), 1)[0]}\n"
        return stdio(("bomb\n", answer), ("21\n", "42\n")), [answer]
    if case.shape == "secret":
        prefix = f"answer-{secrets.token_hex(4)}-"
        answers = [f"{prefix}{secrets.token_hex(16)}\n" for _ in case.verdicts]
        return stdio(*((f"{prefix}\n", answer) for answer in answers)), answers
    return stdio(("", case.expected_lines() or "0\n")), []


# Earlier submissions that leave their marker in their program and in every scratch folder.
EARLIER_PYTHON = """# @MARKER@
for folder in ("/tmp", "/dev/shm"):
    with open(f"{folder}/@MARKER@", "w") as handle:
        handle.write("@MARKER@")
print(2 * int(input()))
"""
EARLIER_C = """#include <stdio.h>
int main(void) {
    const char *folders[] = {"/tmp/@MARKER@", "/dev/shm/@MARKER@"};
    for (int i = 0; i < 2; i++) {
        FILE *file = fopen(folders[i], "w");
        if (file) fputs("@MARKER@", file), fclose(file);
    }
    int n;
    if (scanf("%d", &n) == 1) printf("%d\\n", 2 * n);
    return 0;
}
"""


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def grade_after_earlier(judge: Judge, case: Case, source: str) -> list[str]:
    """The case right after an earlier Python and an earlier C submission, in their jail;
    the case is given their marker."""
    marker = "ce" + secrets.token_hex(6)
    problems = []
    for language, earlier in ((Language.python, EARLIER_PYTHON), (Language.c, EARLIER_C)):
        code = earlier.replace("@MARKER@", marker)
        first = judge.grade_or_error(
            Submission(language=language, code=code, tests=stdio(("21\n", "42\n")), limits=LIMITS)
        )
        if first.reward != 1:
            problems.append(f"the earlier {language.value} program: {explain(first)}")
        tests = stdio((f"{marker}\n", case.expected_lines()))
        later = Submission(language=case.language, code=source, tests=tests, limits=case.limits)
        result, reused = grade_warm(judge, later)
        problems += [f"after {language.value}: {p}" for p in case_problems(case, result, [])]
        if not reused:
            problems.append(f"after {language.value}: not graded in the earlier one's jail")
    return problems


@pytest.mark.parametrize("name", CASE_FILES)
def test_native_attack_is_contained(
    name: str, judge: Judge, quick_compiles: Judge, host: Host, fresh_inherited: Inherited
) -> None:
    case = CASES[name]
    if case.arch is not None and case.arch != platform.machine():
        pytest.skip(f"{name} runs on {case.arch} only")
    fresh = fresh_inherited(case.limits)
    grader = quick_compiles if case.compile_time_s is not None else judge
    marker = "cn" + secrets.token_hex(6)
    values = host.placeholders(marker, case.limits)
    case = dataclasses.replace(case, message=fill(case.message, values))
    source = fill(case.source, values)
    if case.shape == "after-earlier":
        problems = grade_after_earlier(grader, case, source)
    else:
        tests, answers = build_tests(case)
        submission = Submission(
            language=case.language,
            code=source,
            tests=tests,
            limits=case.limits,
            policy=Policy(stop_on_first_failure=False),
        )
        problems = case_problems(case, grader.grade_or_error(submission), answers)
    problems += health_problems(grader, case, fresh)
    problems += host.reached()
    if problems:  # the next case starts in a fresh jail
        grader.pool.drop(memory_mb=case.limits.memory_mb, pids=case.limits.pids)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    assert_no_marked_leftovers(marker, [Path("/tmp"), Path("/dev/shm"), REPO])
    assert_no_marked_leftovers(marker, [grader.settings.work_dir], depth=2)


def test_python_program_finds_nothing_of_an_earlier_c_one(judge: Judge) -> None:
    marker = "cn" + secrets.token_hex(6)
    earlier = EARLIER_C.replace("@MARKER@", marker)
    first = judge.grade_or_error(
        Submission(language=Language.c, code=earlier, tests=stdio(("21\n", "42\n")), limits=LIMITS)
    )
    assert first.reward == 1, explain(first)
    body = """
    marker = input().strip().encode()
    attempt("code-main", lambda: open("/code/main", "rb"), errno.ENOENT)
    print("code", sorted(os.listdir("/code")))
    print("scratch", os.listdir("/tmp"), os.listdir("/dev/shm"))
    found = []
    for top in ("/code", "/tmp", "/dev/shm", "/crucible"):
        for folder, _, files in os.walk(top):
            for name in files:
                with open(os.path.join(folder, name), "rb") as handle:
                    if marker in handle.read():
                        found.append(os.path.join(folder, name))
    print("marker", found)
    """
    expected = "code-main blocked\ncode ['main.py']\nscratch [] []\nmarker []\n"
    later = Submission(code=program(body), tests=stdio((f"{marker}\n", expected)), limits=LIMITS)
    result, reused = grade_warm(judge, later)
    assert result.reward == 1, explain(result)
    assert reused, "the Python program did not run in the C program's warm jail"
