"""Probes: our own stdio programs that print what a program can observe of its runtime, run
bare and in the jail, every observable compared; and the differences we mean to keep.

A probe is a folder under `probes/`: `main.py` (its docstring's first line says what it
shows) and, when it reads any, `stdin` (fed byte for byte).  It prints one `key=value` line
per observable.  Bare, it runs as `python3 <dir>/main.py` (`bench/parity/bare.py`); in the
jail, twice: graded as a stdio test whose expected stdout is the bare run's (`exact`), and
run raw (`Judge.run`), which returns its stdout, stderr and exit whatever they are.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.parity.bare import BareRun, ending, run_bare
from crucible.schema import (
    Comparator,
    Limits,
    RunOutcome,
    RunResult,
    StdioCase,
    StdioTestSet,
    Submission,
    TestResult,
    Verdict,
)
from workers.judge.errors import JudgeError
from workers.judge.grade import Judge

PROBES_DIR = Path(__file__).resolve().parent / "probes"
# Generous: a probe's verdict must never hang on the machine's load.
PROBE_LIMITS = Limits(time_s=10, memory_mb=1024)
# The judge returns stderr's last 1000 characters with a graded test: a probe writes less, so
# its whole stderr is compared (a longer one is the probe's own error).
STDERR_CAP = 900
SHOWN = 300  # characters of a value shown in a report
_KEY = re.compile(r"^([A-Za-z_]\w*)=(.*)$", re.DOTALL)
# Paths to the program differ by design (a temporary folder bare, /code in the jail), and
# object addresses by chance: both are replaced before stderr is compared.
_PROGRAM_PATH = re.compile(r"""[^\s"'<>]*/main\.py""")
_ADDRESS = re.compile(r"0x[0-9a-f]{4,}")


@dataclass(frozen=True, slots=True)
class ExpectedDifference:
    """A difference we keep on purpose: where it shows and why it is there."""

    probe: str
    observable: str
    reason: str


# Every difference between bare and jail that is deliberate, each with its reason.  Anything
# else a probe shows is a failure of invariant 6; an entry that stops differing goes.
EXPECTED_DIFFERENCES: tuple[ExpectedDifference, ...] = (
    ExpectedDifference(
        "runtime_defaults",
        "stdout recursionlimit",
        "the jail raises the default recursion limit (to about a million, docs/runtime.md"
        ") so that accepted solutions that recurse deep without raising it do not"
        " crash; a program that sets its own limit gets that limit",
    ),
    ExpectedDifference(
        "runtime_defaults",
        "stdout stack_soft",
        "the jail's soft stack limit is 1 GiB (the harness's _set_stack_limit, docs/runtime.md)"
        " for deep recursion; bare gets the host's soft limit",
    ),
)
# Observables that only sum up others: a difference in them follows from the differences in
# the probe's stdout lines, and is expected when all of those are.
SUMMARIES = frozenset({"verdict", "stdout digest"})


@dataclass(frozen=True, slots=True)
class Probe:
    name: str
    about: str
    source: str
    stdin: bytes


@dataclass(frozen=True, slots=True)
class Difference:
    probe: str
    observable: str
    bare: str
    jail: str
    expected: str = ""  # the reason, for a deliberate difference


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    probe: str
    about: str
    compared: int  # observables compared
    differences: tuple[Difference, ...] = ()
    stale: tuple[str, ...] = ()  # expected differences (observables) that did not show
    error: str = ""  # the probe could not be compared (bare run broken, judge fault)

    @property
    def unexpected(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if not d.expected)

    @property
    def agrees(self) -> bool:
        return not self.error and not self.unexpected and not self.stale


def load_probes(folder: Path = PROBES_DIR) -> list[Probe]:
    """Every probe folder, by name."""
    probes = []
    for path in sorted(p for p in folder.iterdir() if (p / "main.py").is_file()):
        source = (path / "main.py").read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(source)) or ""
        stdin = path / "stdin"
        probes.append(
            Probe(
                name=path.name,
                about=" ".join(doc.split("\n\n")[0].split()),
                source=source,
                stdin=stdin.read_bytes() if stdin.is_file() else b"",
            )
        )
    return probes


def check_probe(judge: Judge, probe: Probe) -> ProbeOutcome:
    """Run `probe` bare (twice: it must be reproducible) and in the jail; compare."""
    first, second = (_bare(judge, probe) for _ in range(2))
    problem = _bare_problem(first, second)
    if problem:
        return ProbeOutcome(probe.name, probe.about, 0, error=problem)
    stdin = probe.stdin.decode("utf-8", "surrogateescape")
    expected = first.stdout.decode("utf-8", "surrogateescape")
    submission = Submission(
        code=probe.source,
        tests=StdioTestSet(cases=[StdioCase(input=stdin, output=expected)]),
        limits=PROBE_LIMITS,
        comparator=Comparator(name="exact"),
    )
    try:
        graded = judge.grade(submission).tests[0]
        raw = judge.run(probe.source, stdin=stdin, limits=PROBE_LIMITS)
    except JudgeError as exc:
        return ProbeOutcome(probe.name, probe.about, 0, error=f"judge fault {exc.code}: {exc}")
    return compare(probe, observe_bare(first), observe_jail(graded, raw))


def _bare(judge: Judge, probe: Probe) -> BareRun:
    return run_bare(
        probe.source, probe.stdin, settings=judge.settings, timeout_s=PROBE_LIMITS.test_wall_s
    )


def _bare_problem(first: BareRun, second: BareRun) -> str:
    if first.timed_out:
        return "the bare run timed out"
    if len(first.stderr) > STDERR_CAP:
        return f"the bare run wrote {len(first.stderr)} bytes to stderr (over {STDERR_CAP})"
    if observe_bare(first) != observe_bare(second):
        return "two bare runs differ: the probe is not reproducible"
    return ""


def observe_bare(run: BareRun) -> dict[str, str]:
    """What a bare run shows; the verdict is the one the jail must give when it runs alike."""
    stderr = normalise(run.stderr.decode("utf-8", "replace"))
    return {
        **stdout_observables(run.stdout.decode("utf-8", "replace")),
        "ended": run.ended,
        "stderr": stderr,
        "verdict": Verdict.passed.value if run.ended == "exit 0" else Verdict.runtime_error.value,
        "graded ended": run.ended,
        "graded stderr": stderr,
    }


def observe_jail(graded: TestResult, raw: RunResult) -> dict[str, str]:
    """What the jail shows: the raw run's output, and what grading reported of its own run."""
    timed_out = raw.outcome == RunOutcome.time_limit
    graded_timeout = graded.verdict == Verdict.time_limit
    return {
        **stdout_observables(raw.stdout),
        "ended": ending(raw.exit_code, raw.signal, timed_out=timed_out),
        "stderr": normalise(raw.stderr),
        "verdict": graded.verdict.value,
        "graded ended": ending(graded.exit_code, graded.signal, timed_out=graded_timeout),
        "graded stderr": normalise(graded.stderr_tail),
    }


def stdout_observables(stdout: str) -> dict[str, str]:
    """One observable per line (`stdout KEY` for `KEY=value`, else `stdout line N`), and a
    digest of the whole, which also catches a missing final newline."""
    digest = hashlib.sha256(stdout.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    found = {"stdout digest": f"{len(stdout)} chars, sha256 {digest}"}
    lines = stdout.split("\n")
    if lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        match = _KEY.match(line)
        key, value = (match[1], match[2]) if match else (f"line {number}", line)
        name, repeat = f"stdout {key}", 2
        while name in found:
            name, repeat = f"stdout {key} #{repeat}", repeat + 1
        found[name] = value
    return found


def normalise(stderr: str) -> str:
    return _ADDRESS.sub("0x?", _PROGRAM_PATH.sub("main.py", stderr))


def compare(
    probe: Probe,
    bare: dict[str, str],
    jail: dict[str, str],
    expected: Iterable[ExpectedDifference] = EXPECTED_DIFFERENCES,
) -> ProbeOutcome:
    """Every observable either side shows; a deliberate difference carries its reason."""
    reasons = {e.observable: e.reason for e in expected if e.probe == probe.name}
    names = list(bare) + [name for name in jail if name not in bare]
    differences = [
        Difference(
            probe.name,
            name,
            bare.get(name, "<absent>"),
            jail.get(name, "<absent>"),
            reasons.get(name, ""),
        )
        for name in names
        if bare.get(name) != jail.get(name)
    ]
    details = [d for d in differences if d.observable not in SUMMARIES]
    if details and all(d.expected for d in details):
        why = "follows from the expected differences in the probe's output"
        differences = [
            d if d.expected or d.observable not in SUMMARIES else _expected(d, why)
            for d in differences
        ]
    shown = {d.observable for d in differences}
    stale = tuple(name for name in reasons if name not in shown)
    return ProbeOutcome(probe.name, probe.about, len(names), tuple(differences), stale)


def _expected(difference: Difference, reason: str) -> Difference:
    return Difference(
        difference.probe, difference.observable, difference.bare, difference.jail, reason
    )


def shorten(value: str, limit: int = SHOWN) -> str:
    """`value` as a report shows it: repr'd, at most `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 20]}...({len(value)} chars)"
