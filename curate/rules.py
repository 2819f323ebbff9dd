"""The rules a problem must pass to be kept, with DeepCoder's choices as defaults, and the
decision each problem gets from its grades.

Rules that need no grading (readable, not a duplicate, enough tests, a reference to run)
are `screen`ed first; the rest read the references' and the trivial programs' results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from crucible.schema import Language, Limits, Policy, RewardResult, Status, Submission, Verdict
from curate.sources import Problem, count_tests
from curate.trivial import trivial_programs

# Every reason a row is rejected, most fundamental first: a row's reason is the first that holds.
REASONS = (
    "unreadable",
    "duplicate",
    "too_few_tests",
    "no_reference",
    "judge_error",
    "flaky_verdict",  # before the references' verdicts: a flipping verdict says nothing
    "contradicting_test",
    "reference_fails",
    "slow_reference",
    "weak_tests",
)
RETRIED = frozenset({"judge_error"})  # faults of ours: a resumed run grades these again


@dataclass(frozen=True)
class Rules:
    """Each rule's setting; the defaults are DeepCoder's (a rule set to its off value is off)."""

    min_tests: int = 5
    require: Literal["all", "any"] = "all"  # every reference passes, or at least one does
    contradictions: bool = True
    dedupe: Literal["both", "text", "tests", "none"] = "both"
    time_margin: float = 0.5  # of the time limit; 0: off
    runs: int = 2  # gradings per reference; a verdict that flips is flaky
    weak: bool = True  # reject problems a trivial program solves
    time_limit: float | None = None  # per-test CPU seconds instead of the row's own


@dataclass(frozen=True, slots=True)
class Job:
    """One submission a problem needs graded: a reference's run, or a trivial program."""

    role: str  # "ref" or "trivial"
    ref: int
    run: int
    name: str
    submission: Submission


@dataclass
class Decision:
    kept: bool
    reasons: list[str]
    detail: str = ""
    tests: int = 0
    references: int = 0
    max_time_ratio: float = 0.0  # the slowest passing test's CPU time over the limit
    reference_time_s: float = 0.0  # all the references' tests' CPU time, first run
    trivial_pass: float = 0.0  # the best trivial program's pass fraction
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""


def screen(problem: Problem, rules: Rules, first_seen: dict[str, int]) -> Decision | None:
    """A rejection that needs no grading, or None.  `first_seen` maps each text or test-set
    fingerprint to the first row holding it, and grows as rows are screened in order."""
    if problem.error or problem.tests is None:
        return Decision(False, ["unreadable"], problem.error)
    tests = count_tests(problem.tests)
    prints = _fingerprints(problem, rules)
    earlier = next((first_seen[p] for p in prints if p in first_seen), None)
    for p in prints:
        first_seen.setdefault(p, problem.index)
    if earlier is not None:
        return Decision(False, ["duplicate"], f"same as row {earlier}", tests=tests)
    if tests < rules.min_tests:
        return Decision(False, ["too_few_tests"], f"{tests} < {rules.min_tests}", tests=tests)
    if not problem.references:
        return Decision(False, ["no_reference"], "no reference solution to run", tests=tests)
    return None


def _fingerprints(problem: Problem, rules: Rules) -> list[str]:
    prints = []
    if rules.dedupe in ("both", "text") and problem.normalised_text:
        prints.append("text:" + problem.normalised_text)
    if rules.dedupe in ("both", "tests"):
        prints.append("tests:" + problem.tests_hash)
    return prints


def jobs(problem: Problem, rules: Rules) -> list[Job]:
    """What grading `problem` takes: each reference `runs` times over every test, then the
    trivial programs (the second run's program differs by a trailing comment, so neither a
    service's result cache nor a compile cache answers it from the first)."""
    assert problem.tests is not None
    limits = _limits(problem.limits, rules.time_limit)
    every_test = Policy(stop_on_first_failure=False)
    found: list[Job] = []
    for i, ref in enumerate(problem.references):
        for run in range(max(1, rules.runs)):
            code = ref.code + _run_tag(ref.language, run)
            sub = Submission(
                language=ref.language,
                code=code,
                tests=problem.tests,
                limits=limits,
                policy=every_test,
                comparator=problem.comparator,
            )
            found.append(Job("ref", i, run, ref.label, sub))
    if rules.weak:
        for name, code in trivial_programs(problem.tests, problem.references[0].code).items():
            sub = Submission(
                code=code,
                tests=problem.tests,
                limits=limits,
                policy=every_test,
                comparator=problem.comparator,
            )
            found.append(Job("trivial", -1, 0, name, sub))
    return found


def _limits(limits: Limits, time_s: float | None) -> Limits:
    if time_s is None:
        return limits
    return limits.model_copy(update={"time_s": time_s, "wall_time_s": None})


def _run_tag(language: Language, run: int) -> str:
    if run == 0:
        return ""
    mark = "#" if language in (Language.python, Language.pypy) else "//"
    return f"\n{mark} crucible curate: run {run + 1}\n"


def decide(
    problem: Problem, rules: Rules, planned: Sequence[Job], results: Sequence[RewardResult | None]
) -> Decision:
    """The decision for a graded problem: its jobs' results, in the jobs' order."""
    if any(r is None or r.status == Status.error for r in results):
        fault = next((r.error for r in results if r is not None and r.error), None)
        return Decision(False, ["judge_error"], fault.message if fault else "no result")
    graded = [r for r in results if r is not None]
    refs = [
        [g for j, g in zip(planned, graded, strict=True) if j.role == "ref" and j.ref == i]
        for i in range(len(problem.references))
    ]
    first = [runs[0] for runs in refs]
    limits = planned[0].submission.limits
    assert problem.tests is not None
    decision = Decision(True, [], tests=count_tests(problem.tests), references=len(first))
    decision.reference_time_s = round(sum(t.time_s for r in first for t in r.tests), 4)
    _check_references(decision, first, rules)
    _check_flips(decision, refs, [j.name for j in planned if j.role == "ref" and j.run == 0])
    _check_time(decision, first, limits.time_s, rules)
    trivial = [(j.name, g) for j, g in zip(planned, graded, strict=True) if j.role == "trivial"]
    _check_weak(decision, trivial)
    decision.reasons.sort(key=REASONS.index)
    decision.kept = not decision.reasons
    return decision


def _check_references(decision: Decision, first: list[RewardResult], rules: Rules) -> None:
    failing = [r for r in first if r.reward != 1]
    if not failing:
        return
    total = len(first[0].tests)
    wrong = [{t.index for t in r.tests if t.verdict == Verdict.wrong_answer} for r in first]
    failed = [{t.index for t in r.tests if t.verdict != Verdict.passed} for r in first]
    # A test most references answer differently from its expected output, where those
    # references fail nothing else, is a wrong test, not a set of wrong solutions.
    majority = len(first) // 2 + 1
    suspects = {i for i in range(total) if sum(i in w for w in wrong) >= majority}
    agreeing = sum(bool(f) and f <= suspects for f in failed)
    if rules.contradictions and suspects and agreeing >= majority and len(suspects) * 2 < total:
        decision.reasons.append("contradicting_test")
        decision.extra["contradicting_tests"] = sorted(suspects)
        decision.detail = f"tests {sorted(suspects)} contradict {agreeing}/{len(first)} references"
        return
    if rules.require == "all" or len(failing) == len(first):
        worst = failing[0]
        decision.reasons.append("reference_fails")
        decision.detail = (
            f"{len(failing)}/{len(first)} references fail; first: {worst.verdict}"
            f" on {sum(t.verdict != Verdict.passed for t in worst.tests)}/{total} tests"
        )


def _check_flips(decision: Decision, refs: list[list[RewardResult]], labels: list[str]) -> None:
    for label, runs in zip(labels, refs, strict=True):
        seen = {tuple(t.verdict for t in r.tests) for r in runs}
        if len(seen) > 1:
            decision.reasons.append("flaky_verdict")
            decision.detail = decision.detail or f"{label}: verdicts differ between runs"
            return


def _check_time(decision: Decision, first: list[RewardResult], time_s: float, rules: Rules) -> None:
    times = [t.time_s for r in first for t in r.tests if t.verdict == Verdict.passed]
    decision.max_time_ratio = round(max(times, default=0.0) / time_s, 4)
    if rules.time_margin > 0 and decision.max_time_ratio > rules.time_margin:
        decision.reasons.append("slow_reference")
        decision.detail = decision.detail or (
            f"a reference used {decision.max_time_ratio:.0%} of the {time_s:g} s limit"
        )


def _check_weak(decision: Decision, trivial: list[tuple[str, RewardResult]]) -> None:
    decision.trivial_pass = max((r.pass_fraction or 0.0 for _, r in trivial), default=0.0)
    solved = [name for name, r in trivial if r.reward == 1]
    if solved:
        decision.reasons.append("weak_tests")
        decision.detail = decision.detail or f"the {solved[0]} program passes every test"
