"""The hostile corpus: every program in `hostile_corpus/` (one file a case, format in its
README) graded alone by the real judge, then beside honest witness submissions graded at the
same time through the same judge, then all of them at once beside honest reference solutions
through the live service.

Each must score 0, as a graded result with verdicts of its class, and change nothing outside
its jail: no file named after its marker, no process, no orphaned cgroup, no connection or
datagram to the host's listeners, no signal to a host process, no Redis key, no changed file.
Probes print "<name> blocked" for every attempt the jail stopped, and a test that expects
exactly those lines must pass: a probe whose attempt succeeded fails its case.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import re
import secrets
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from crucible.datasets import humaneval_submission, mbpp_submission, read_json, read_jsonl
from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    CallCase,
    CallTestSet,
    Comparator,
    Limits,
    Policy,
    RewardResult,
    Status,
    Submission,
    Verdict,
)
from server.stack import RedisServer
from tests.integration.conftest import REPO, Stack
from tests.integration.hostile import (
    DAEMON_HEAD,
    LIBC_HEAD,
    Trace,
    assert_no_marked_leftovers,
    assert_no_orphan_cgroups,
    blocked,
    explain,
    host_digests,
    jail_cgroups,
    program,
    secret_assert,
    secret_call,
    secret_numbers,
    secret_stdio,
    stdio,
)
from workers.judge.grade import Judge
from workers.judge.jail import INSIDE
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parent / "hostile_corpus"
CASE_NAMES = sorted(path.stem for path in CORPUS.glob("*.py"))
V = Verdict
DOOMED = frozenset({V.runtime_error, V.time_limit, V.memory_limit})
# The verdicts a case's hostile test may get (the result's verdict), by category.
CATEGORIES: dict[str, frozenset[Verdict]] = {
    "cpu": frozenset({V.time_limit}),
    "memory": frozenset({V.memory_limit}),
    "fork": DOOMED,
    "threads": DOOMED,
    "disk": frozenset({V.runtime_error, V.output_limit, V.wrong_answer}),
    "fds": frozenset({V.runtime_error, V.wrong_answer}),
    "stdout-flood": frozenset({V.output_limit}),
    "stderr-flood": frozenset({V.output_limit}),
    "write-outside": frozenset({V.wrong_answer}),
    "network": frozenset({V.wrong_answer}),
    "dns": frozenset({V.wrong_answer}),
    "signals": frozenset({V.wrong_answer, V.runtime_error, V.time_limit}),
    "ptrace": frozenset({V.wrong_answer}),
    "namespaces": frozenset({V.wrong_answer}),
    "mounts": frozenset({V.wrong_answer}),
    "env-secrets": frozenset({V.wrong_answer}),
    "proc-secrets": frozenset({V.wrong_answer}),
    "host-files": frozenset({V.wrong_answer}),
    "daemons": frozenset({V.wrong_answer}),
    "reward-hacks": frozenset({V.wrong_answer, V.runtime_error}),
}
SHAPES = {"probe", "probe-call", "probe-assert", "bomb", "daemon"}
SECRET_SHAPES = {"secret-stdio", "secret-call", "secret-assert"}
HEADER_KEYS = {
    "category", "attempts", "tests", "verdicts", "limits", "comparator", "arch", "known-issue",
}  # fmt: skip
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# Small limits keep the bombs short; a header's `limits` overrides them key by key.
DEFAULT_LIMITS = {"time_s": 1, "wall_time_s": 2, "memory_mb": 128, "output_kb": 1024, "pids": 32}
PLANTED = "CRUCIBLE_CORPUS_PLANTED"
PLACEHOLDERS = {
    "MARKER", "TCP_PORT", "UDP_PORT", "UNIX_NAME", "REDIS_PORT", "REDIS_DIR", "CANARY_PID",
    "WORK_DIR", "REPO", "DATASETS", "HOST_NAME", "PLANTED_VALUE",
}  # fmt: skip
# Honest references: every 12th HumanEval row and every 30th MBPP row, about 30 in all.
HUMANEVAL_EVERY, MBPP_EVERY = 12, 30


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus program and what grading it must give."""

    name: str
    category: str
    attempts: str
    shape: str
    blocked: tuple[str, ...]
    verdicts: tuple[frozenset[Verdict], ...]  # per test, in order
    limits: Limits
    comparator: Comparator
    known_issue: tuple[str, str] | None  # (what deviates: "verdicts" or "error", why)
    arch: str | None
    body: str

    @property
    def runnable(self) -> bool:
        return self.arch is None or self.arch == platform.machine()


def load_case(name: str) -> Case:
    text = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.removeprefix("# ").partition(": ")
        if not line.startswith("# ") or not colon or key not in HEADER_KEYS or key in fields:
            raise ValueError(f"{name}: bad header line {line!r}")
        fields[key] = value.strip()
    missing = {"category", "attempts", "tests", "verdicts"} - set(fields)
    if missing:
        raise ValueError(f"{name}: the header lacks {sorted(missing)}")
    shape, *names = fields["tests"].split()
    if shape not in SHAPES | SECRET_SHAPES or bool(names) != shape.startswith("probe"):
        raise ValueError(f"{name}: unknown test shape {fields['tests']!r}")
    known = fields.get("known-issue")
    issue = None
    if known is not None:
        what, _, why = known.partition(" | ")
        if what not in ("verdicts", "error") or not why:
            raise ValueError(f"{name}: known-issue must be 'verdicts | why' or 'error | why'")
        issue = (what, why)
    return Case(
        name=name,
        category=fields["category"],
        attempts=fields["attempts"],
        shape=shape,
        blocked=tuple(names),
        verdicts=tuple(
            frozenset(Verdict(v) for v in group.split()) for group in fields["verdicts"].split("/")
        ),
        limits=Limits.model_validate({**DEFAULT_LIMITS, **json.loads(fields.get("limits", "{}"))}),
        comparator=Comparator.model_validate(fields.get("comparator", "lines")),
        known_issue=issue,
        arch=fields.get("arch"),
        body=body,
    )


CASES = {name: load_case(name) for name in CASE_NAMES}


def seed_of(case: Case) -> int:
    return int.from_bytes(hashlib.sha256(case.name.encode()).digest()[:8], "big")


def build_tests(case: Case) -> AnyTestSet:
    """The case's test set: a shared shape, filled with answers the program cannot know."""
    seed = seed_of(case)
    answer = secret_numbers(seed, 1)[0]
    report = blocked(*case.blocked)
    calls = [CallCase(args=["probe"], expected=report), CallCase(args=[0], expected=answer)]
    shapes: dict[str, Callable[[], AnyTestSet]] = {
        "probe": lambda: stdio(("probe\n", report), ("answer\n", f"{answer}\n")),
        "probe-call": lambda: CallTestSet(fn_name="probe", cases=calls),
        "probe-assert": lambda: AssertTestSet(
            code=f"assert probe() == {report!r}\nassert solve(0) == {answer}\n"
        ),
        "bomb": lambda: stdio(("bomb\n", f"{answer}\n"), ("21\n", "42\n")),
        "daemon": lambda: stdio(("spawn\n", f"{answer}\n"), ("check\n", "alone\n")),
        "secret-stdio": lambda: secret_stdio(seed),
        "secret-call": lambda: secret_call(seed),
        "secret-assert": lambda: secret_assert(seed),
    }
    return shapes[case.shape]()


def expected_secrets(case: Case) -> list[str]:
    return [str(n) for n in secret_numbers(seed_of(case), 2)]


# -- the host: what the programs aim at, and what must stay unchanged -------------------------

WATCHED = [
    INSIDE / "harness.py",
    INSIDE / "protocol.py",
    INSIDE / "rpc.py",
    INSIDE / "stdvalues.py",
    REPO / "sandbox_profiles" / "python.cfg",
    Path("/etc/passwd"),
    Path("/etc/hosts"),
    *Path("/usr/lib").glob("python3*/json/__init__.py"),
]


class Host:
    """What a jailed program must never reach or change: loopback TCP and UDP listeners, an
    abstract unix socket, a Redis, a canary process running as the jails' outside uid, the
    watched files, the host folders a program aims its files at, the jails' cgroups."""

    def __init__(self, redis_server: RedisServer, planted: str) -> None:
        self.settings = JudgeSettings()
        self.planted = planted
        self.redis_server = redis_server
        self.redis = redis.Redis.from_url(redis_server.url)
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.unix_name = f"crucible-corpus-{secrets.token_hex(6)}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(f"\0{self.unix_name}")
        self.unix.listen()
        for sock in (self.tcp, self.udp, self.unix):
            sock.setblocking(False)
        uid, gid = self.settings.jail_uid, self.settings.jail_gid
        self.canary = subprocess.Popen(["sleep", "infinity"], user=uid, group=gid)
        self.watched = host_digests(WATCHED)

    def placeholders(self, marker: str) -> dict[str, str]:
        return {
            "MARKER": marker,
            "TCP_PORT": str(self.tcp.getsockname()[1]),
            "UDP_PORT": str(self.udp.getsockname()[1]),
            "UNIX_NAME": self.unix_name,
            "REDIS_PORT": str(self.redis_server.port),
            "REDIS_DIR": str(self.redis_server.data_dir),
            "CANARY_PID": str(self.canary.pid),
            "WORK_DIR": str(self.settings.work_dir),
            "REPO": str(REPO),
            "DATASETS": str(REPO.parent / "shared" / "datasets"),
            "HOST_NAME": socket.gethostname(),
            "PLANTED_VALUE": self.planted,
        }

    def cgroups(self) -> frozenset[Path]:
        return jail_cgroups(self.settings.cgroup_root, self.settings.cgroup_parent)

    def assert_untouched(self, markers: Sequence[str], cgroups_before: frozenset[Path]) -> None:
        """No file or process of `markers` left, nothing reached, no orphan jail cgroup."""
        shallow = [Path(p) for p in ("/", "/tmp", "/var/tmp", "/dev/shm", "/root", "/etc")]
        shallow += [Path(p) for p in ("/run", "/home", "/usr/local/bin")]
        shallow += [Path("/usr/lib/python3/dist-packages"), *Path("/usr/lib").glob("python3.*")]
        shallow += [REPO, REPO / "tests" / "integration"]
        deep = [self.settings.work_dir, *Path("/tmp").glob("nsjail.*")]  # jail folders inside
        for marker in markers:
            assert_no_marked_leftovers(marker, shallow)
            assert_no_marked_leftovers(marker, deep, depth=2)
        for server in (self.tcp, self.unix):
            with contextlib.suppress(BlockingIOError):
                conn, peer = server.accept()
                conn.close()
                pytest.fail(f"a jail reached the host listener {server.getsockname()!r}: {peer}")
        with contextlib.suppress(BlockingIOError):
            data, peer = self.udp.recvfrom(1024)
            pytest.fail(f"a datagram from a jail reached the host from {peer}: {data!r}")
        assert self.canary.poll() is None, "the canary process outside the jails was killed"
        assert not self.redis.exists(*markers), "a jail wrote to the host's Redis"
        assert host_digests(WATCHED) == self.watched, "a watched host file changed"
        s = self.settings
        assert_no_orphan_cgroups(s.cgroup_root, s.cgroup_parent, cgroups_before)

    def close(self) -> None:
        self.canary.kill()
        self.canary.wait(timeout=10)
        self.redis.close()
        for sock in (self.tcp, self.udp, self.unix):
            sock.close()


@pytest.fixture(scope="module", autouse=True)
def planted_secret() -> Iterator[str]:
    """A variable in the environment of every jail started from here on; none may see it."""
    with pytest.MonkeyPatch.context() as patch:
        value = secrets.token_hex(16)
        patch.setenv(PLANTED, value)
        yield value


@pytest.fixture(scope="module")
def host(redis_server: RedisServer, planted_secret: str) -> Iterator[Host]:
    outside = Host(redis_server, planted_secret)
    yield outside
    outside.close()


# -- grading one case -------------------------------------------------------------------------


def submission(case: Case, trace: Trace, host: Host) -> Submission:
    values = host.placeholders(trace.marker)
    heads = (LIBC_HEAD, DAEMON_HEAD) if case.category == "daemons" else (LIBC_HEAD,)
    source = PLACEHOLDER.sub(lambda m: values[m.group(1)], program(*heads, case.body))
    return Submission(
        code=trace.stamp(source),
        tests=build_tests(case),
        limits=case.limits,
        policy=Policy(stop_on_first_failure=False),
        comparator=case.comparator,
    )


def deviations(case: Case, result: RewardResult) -> list[str]:
    """How the result differs from what the case expects (nothing when it holds)."""
    if result.status != Status.graded:
        return [f"status {result.status}: {result.error}"]
    found = [] if result.reward == 0 else [f"reward {result.reward}"]
    got = [t.verdict for t in result.tests]
    if len(got) != len(case.verdicts) or any(
        v not in g for v, g in zip(got, case.verdicts, strict=True)
    ):
        wanted = " / ".join(" ".join(sorted(group)) for group in case.verdicts)
        found.append(f"verdicts {' / '.join(got)}, expected {wanted}")
    if result.verdict not in CATEGORIES[case.category]:
        found.append(f"verdict {result.verdict} is not of the {case.category} class")
    for test in result.tests:
        leaked = [s for s in expected_secrets(case) if s in test.stderr_tail]
        if leaked:
            found.append(f"test {test.index}: an expected answer reached the program: {leaked}")
    return found


def known(case: Case, found: list[str]) -> bool:
    """Whether the deviations `found` are all the kind the case's known issue explains."""
    if not found or case.known_issue is None:
        return False
    kind = "status" if case.known_issue[0] == "error" else "verdict"
    return all(f.startswith(kind) for f in found)


def assert_graded_as_expected(case: Case, result: RewardResult) -> None:
    found = deviations(case, result)
    if known(case, found):
        assert case.known_issue is not None
        pytest.xfail(f"known issue: {case.known_issue[1]} ({'; '.join(found)})")
    assert not found, f"{case.name}: {'; '.join(found)}\n{explain(result)}"


# -- the corpus itself --------------------------------------------------------------------------


def test_corpus_is_complete_and_well_formed() -> None:
    assert len(CASES) >= 40, f"only {len(CASES)} programs in {CORPUS}"
    per_category = {c: [n for n, case in CASES.items() if case.category == c] for c in CATEGORIES}
    thin = {c: names for c, names in per_category.items() if len(names) < 3}
    assert not thin, f"categories with fewer than three programs: {thin}"
    for name, case in CASES.items():
        assert case.category in CATEGORIES, f"{name}: unknown category {case.category}"
        hostile = set().union(*case.verdicts) - {V.passed}
        assert hostile <= CATEGORIES[case.category], f"{name}: {hostile} outside its class"
        assert any(V.passed not in g for g in case.verdicts), f"{name}: it could score 1"
        if case.shape.startswith("probe"):
            assert case.verdicts[0] == {V.passed}, f"{name}: a probe's report must pass"
        unknown = set(PLACEHOLDER.findall(case.body)) - PLACEHOLDERS
        assert not unknown, f"{name}: unknown placeholders {unknown}"


# An honest program that leans on what a warm jail reuses: its scratch folders, and the
# name space of its sockets.
SCRATCH_WITNESS = """
import os, socket
a, b = map(int, input().split())
with open("/tmp/witness.txt", "w") as out:
    out.write(str(a + b))
with open("/tmp/witness.txt") as back:
    total = int(back.read())
os.remove("/tmp/witness.txt")
s = socket.socket(socket.AF_UNIX)
s.bind(b"\\0crucible-witness")
s.close()
print(total)
"""


@pytest.fixture(scope="module")
def witnesses(datasets: Path) -> list[Submission]:
    """Honest submissions graded after every hostile program (a real HumanEval and MBPP
    reference, and a scratch-using stdio program)."""
    humaneval = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))
    mbpp = read_json(datasets / "mbpp" / "sanitized-mbpp.json")
    return [
        humaneval_submission(humaneval[0]),
        mbpp_submission(mbpp[0]),
        Submission(code=SCRATCH_WITNESS, tests=stdio(("2 3\n", "5\n"))),
    ]


def outcome(result: RewardResult) -> tuple[object, ...]:
    return (result.status, result.reward, tuple(t.verdict for t in result.tests))


@pytest.fixture(scope="module")
def fresh_outcome() -> Iterator[Callable[[Submission], tuple[object, ...]]]:
    """A submission's outcome in a jail of its own (no warm jail kept), per limits."""
    fresh = Judge(JudgeSettings(jail_pool_size=0))
    seen: dict[str, tuple[object, ...]] = {}

    def grade(sub: Submission) -> tuple[object, ...]:
        key = sub.model_dump_json()
        if key not in seen:
            seen[key] = outcome(fresh.grade(sub))
        return seen[key]

    yield grade
    fresh.close()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_program_alone(
    name: str,
    judge: Judge,
    host: Host,
    witnesses: list[Submission],
    fresh_outcome: Callable[[Submission], tuple[object, ...]],
) -> None:
    case = CASES[name]
    if not case.runnable:
        pytest.skip(f"written for {case.arch}; this machine is {platform.machine()}")
    trace = Trace.new()
    before = host.cgroups()
    result = judge.grade_or_error(submission(case, trace, host))
    host.assert_untouched([trace.marker], before)
    assert_graded_as_expected(case, result)
    # Invariant 1: right after it, in the jail it may have left warm, honest submissions
    # under the same limits grade as they do in a jail of their own.
    for witness in witnesses:
        same = witness.model_copy(update={"limits": case.limits})
        assert outcome(judge.grade(same)) == fresh_outcome(same), witness.code[:60]


# The most grades of one witness beside one hostile program: it is graded once, then again
# while the program's grade lasts.
BESIDE_MAX_GRADES = 4


@dataclass(frozen=True, slots=True)
class Timed:
    """One grade and when it ran, on the monotonic clock."""

    result: RewardResult
    start: float
    end: float

    def overlaps(self, other: Timed) -> bool:
        return self.start < other.end and other.start < self.end


def timed_grade(judge: Judge, sub: Submission) -> Timed:
    start = time.monotonic()
    result = judge.grade_or_error(sub)
    return Timed(result, start, time.monotonic())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_program_beside_witnesses(
    name: str,
    judge: Judge,
    host: Host,
    witnesses: list[Submission],
    fresh_outcome: Callable[[Submission], tuple[object, ...]],
) -> None:
    """Invariant 2: while a hostile program is graded, honest submissions under the same
    limits graded at the same time through the same judge (each in a jail of its own: the
    pool never hands out a jail in use) grade as they do in a jail of their own.

    Each witness is graded at least once, and again while the hostile grade lasts, at most
    `BESIDE_MAX_GRADES` times; at least one of those grades must overlap it in time.
    """
    case = CASES[name]
    if not case.runnable:
        pytest.skip(f"written for {case.arch}; this machine is {platform.machine()}")
    same = [witness.model_copy(update={"limits": case.limits}) for witness in witnesses]
    expected = [fresh_outcome(sub) for sub in same]  # first, so none runs beside the program
    trace = Trace.new()
    hostile = submission(case, trace, host)
    started, done = threading.Event(), threading.Event()

    def grade_hostile() -> Timed:
        started.set()
        try:
            return timed_grade(judge, hostile)
        finally:
            done.set()

    def grade_beside(witness: Submission) -> list[Timed]:
        started.wait()
        runs = [timed_grade(judge, witness)]
        while not done.is_set() and len(runs) < BESIDE_MAX_GRADES:
            runs.append(timed_grade(judge, witness))
        return runs

    before = host.cgroups()
    with ThreadPoolExecutor(max_workers=1 + len(same)) as threads:
        hostile_grade = threads.submit(grade_hostile)
        beside = [threads.submit(grade_beside, sub) for sub in same]
        main = hostile_grade.result()
        runs = [future.result() for future in beside]
    host.assert_untouched([trace.marker], before)
    differing = [
        f"{sub.code[:60]!r}: {outcome(run.result)} != {want}: {explain(run.result)}"
        for sub, want, grades in zip(same, expected, runs, strict=True)
        for run in grades
        if outcome(run.result) != want
    ]
    assert not differing, "\n".join(differing)
    overlapping = sum(run.overlaps(main) for grades in runs for run in grades)
    assert overlapping, f"no witness grade ran while {name} was graded"
    # Checked last: a known issue's xfail must not hide a witness that graded differently.
    assert_graded_as_expected(case, main.result)


# -- all at once, beside honest submissions, through the service -------------------------------


def honest_submissions(datasets: Path) -> list[Submission]:
    """HumanEval canonical solutions and MBPP references, each with a fresh cache key."""

    def fresh(sub: Submission) -> Submission:
        return sub.model_copy(update={"code": f"{sub.code}\n# {uuid.uuid4().hex}\n"})

    humaneval = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))
    mbpp = read_json(datasets / "mbpp" / "sanitized-mbpp.json")
    subs = [humaneval_submission(row) for row in humaneval[::HUMANEVAL_EVERY]]
    subs += [mbpp_submission(row) for row in mbpp[::MBPP_EVERY]]
    return [fresh(sub) for sub in subs]


def grade_batches(api: httpx.Client, subs: Sequence[Submission], *, chunk: int = 50) -> list[Any]:
    """Results of `subs` in order, sent as batches that the workers grade side by side."""
    ids = []
    for start in range(0, len(subs), chunk):
        body = {"submissions": [s.model_dump(mode="json") for s in subs[start : start + chunk]]}
        reply = api.post("/v1/batches", json=body)
        assert reply.status_code == 202, reply.text
        ids.append(reply.json()["id"])
    results: list[Any] = []
    deadline = time.monotonic() + 150
    for batch_id in ids:
        while True:
            state = api.get(f"/v1/batches/{batch_id}", params={"wait": 30}).json()
            if state["done"] == state["total"]:
                break
            assert time.monotonic() < deadline, f"batch {batch_id}: {state['done']} done"
        results += state["results"]
    return results


def test_corpus_beside_honest_submissions(
    service: Stack, api: httpx.Client, host: Host, datasets: Path
) -> None:
    cases = [c for c in CASES.values() if c.runnable]
    traces = [Trace.new() for _ in cases]
    hostile: list[tuple[Case | None, Submission]] = [
        (case, submission(case, trace, host)) for case, trace in zip(cases, traces, strict=True)
    ]
    honest: list[tuple[Case | None, Submission]] = [
        (None, sub) for sub in honest_submissions(datasets)
    ]
    assert len(hostile) >= 40 and len(honest) >= 20
    # Honest submissions spread evenly among the hostile ones, so each is graded beside them.
    step = len(hostile) / len(honest)
    spaced = [(float(i), pair) for i, pair in enumerate(hostile)]
    spaced += [(i * step + 0.5, pair) for i, pair in enumerate(honest)]
    order = [pair for _, pair in sorted(spaced, key=lambda item: item[0])]
    before = host.cgroups()
    raw = grade_batches(api, [sub for _, sub in order])
    host.assert_untouched([t.marker for t in traces], before)
    problems = []
    for (case, _), data in zip(order, raw, strict=True):
        result = RewardResult.model_validate(data)
        if case is None:
            if result.status != Status.graded or result.reward != 1:
                problems.append(f"honest submission: {explain(result)}")
        elif (found := deviations(case, result)) and not known(case, found):
            problems.append(f"{case.name}: {'; '.join(found)}: {explain(result)}")
    assert not problems, "\n".join(problems)
