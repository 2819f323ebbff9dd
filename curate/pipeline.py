"""One curation run: read the data set, screen every row, grade the rest batch by batch
(resuming from the state file), decide, and write the kept rows, the rejected ones and the
report."""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from crucible.schema import Language, Verdict
from curate.graders import Grader
from curate.report import Record, write_report
from curate.rules import RETRIED, Decision, Rules, decide, jobs, screen
from curate.sources import Dataset, Problem, read_dataset, write_rows
from curate.state import Batch, State, decision_of

STATE_FILE = "state.jsonl"
# Batches graded at once: the next is sent while the last is still grading, so the service
# (or the local judge) never waits on this process between batches.
IN_FLIGHT = 2


# Every language the judge runs, Python first: a row's references are taken in this order.
DEFAULT_LANGUAGES = (
    Language.python,
    *(language for language in Language if language != Language.python),
)


@dataclass(frozen=True)
class Options:
    input: Path
    out: Path
    rules: Rules = field(default_factory=Rules)
    languages: tuple[Language, ...] = DEFAULT_LANGUAGES
    max_references: int = 3
    batch: int = 16  # problems per call to the grader
    sample: int | None = None  # grade a deterministic sample of this many rows
    seed: int = 0
    progress: bool = True
    command: str = ""  # how the run was started, for the report


@dataclass(frozen=True)
class Outcome:
    kept: int
    rejected: int
    graded_now: int  # problems graded by this invocation (not taken from the state file)
    files: dict[str, Path]


def curate(options: Options, grader: Grader) -> Outcome:
    """Run the whole pipeline; safe to interrupt and run again with the same options."""
    dataset = read_dataset(
        options.input, languages=options.languages, max_references=options.max_references
    )
    problems = _sample(dataset.problems, options.sample, options.seed)
    options.out.mkdir(parents=True, exist_ok=True)
    state = State(options.out / STATE_FILE, _settings(options))
    try:
        decisions, pending = _screen_all(problems, options.rules, state)
        graded_now = _grade_all(pending, options, grader, state, decisions)
    finally:
        state.close()
    records = [Record(p.index, p.name, p.source, decisions[p.key]) for p in problems]
    files = _write(dataset, problems, decisions, options, state, grader.where, records)
    kept = sum(r.decision.kept for r in records)
    return Outcome(kept, len(records) - kept, graded_now, files)


def _sample(problems: list[Problem], size: int | None, seed: int) -> list[Problem]:
    if size is None or size >= len(problems):
        return problems
    chosen = sorted(random.Random(seed).sample(range(len(problems)), size))
    return [problems[i] for i in chosen]


def _settings(options: Options) -> dict[str, Any]:
    return {
        "input": options.input.name,
        "rules": asdict(options.rules),
        "languages": [language.value for language in options.languages],
        "max_references": options.max_references,
        "sample": options.sample,
        "seed": options.seed,
    }


def _screen_all(
    problems: Sequence[Problem], rules: Rules, state: State
) -> tuple[dict[str, Decision], list[Problem]]:
    decisions: dict[str, Decision] = {}
    pending: list[Problem] = []
    first_seen: dict[str, int] = {}
    for problem in problems:
        screened = screen(problem, rules, first_seen)
        stored = state.done(problem.key, RETRIED)
        if screened is not None:
            decisions[problem.key] = screened
        elif stored is not None:
            decisions[problem.key] = decision_of(stored)
        else:
            pending.append(problem)
    return decisions, pending


def _grade_all(
    pending: list[Problem],
    options: Options,
    grader: Grader,
    state: State,
    decisions: dict[str, Decision],
) -> int:
    bar = _progress(len(pending), options.progress)
    chunks = [pending[i : i + options.batch] for i in range(0, len(pending), options.batch)]
    in_flight: deque[tuple[list[Problem], Future[tuple[list[tuple[str, Decision]], Batch]]]]
    in_flight = deque()
    last = time.perf_counter()

    def take_oldest() -> None:
        # Recorded in order, each with the wall time since the last one ended: with batches
        # overlapping, their own walls would count the same seconds twice.
        nonlocal last
        chunk, future = in_flight.popleft()
        entries, batch = future.result()
        now = time.perf_counter()
        state.record(entries, replace(batch, wall_s=round(now - last, 4)))
        last = now
        decisions.update(entries)
        bar(len(chunk))

    try:
        with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            for chunk in chunks:
                in_flight.append((chunk, pool.submit(_grade_batch, chunk, options.rules, grader)))
                if len(in_flight) >= IN_FLIGHT:
                    take_oldest()
            while in_flight:
                take_oldest()
    finally:
        bar(0, close=True)
    return len(pending)


def _grade_batch(
    chunk: list[Problem], rules: Rules, grader: Grader
) -> tuple[list[tuple[str, Decision]], Batch]:
    planned = [jobs(problem, rules) for problem in chunk]
    flat = [job.submission for plan in planned for job in plan]
    started = time.perf_counter()
    results = grader.grade(flat)
    wall = time.perf_counter() - started
    entries: list[tuple[str, Decision]] = []
    offset = 0
    for problem, plan in zip(chunk, planned, strict=True):
        mine = results[offset : offset + len(plan)]
        offset += len(plan)
        entries.append((problem.key, decide(problem, rules, plan, mine)))
    tests_run = sum(
        1 for r in results if r is not None for t in r.tests if t.verdict != Verdict.skipped
    )
    return entries, Batch(len(chunk), len(flat), tests_run, round(wall, 4))


def _progress(total: int, shown: bool) -> Callable[..., None]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="problem", desc="curate", disable=not shown or total == 0)

    def advance(count: int, *, close: bool = False) -> None:
        bar.update(count)
        if close:
            bar.close()

    return advance


def _write(  # noqa: PLR0917 - private, one call site
    dataset: Dataset,
    problems: list[Problem],
    decisions: dict[str, Decision],
    options: Options,
    state: State,
    where: str,
    records: list[Record],
) -> dict[str, Path]:
    out = options.out
    kept = [p for p in problems if decisions[p.key].kept]
    files = {"kept": write_rows(dataset, kept, out / "kept")}
    rejected = out / "rejected.jsonl"
    with rejected.open("w", encoding="utf-8") as lines:
        for problem in problems:
            decision = decisions[problem.key]
            if not decision.kept:
                lines.write(json.dumps(_rejected_row(problem, decision)) + "\n")
    files["rejected"] = rejected
    run = {
        "input": str(options.input),
        "container": dataset.container,
        "rows_in_input": len(dataset.problems),
        "sample": options.sample,
        "seed": options.seed,
        "grader": where,
        "rules": asdict(options.rules),
        "languages": [language.value for language in options.languages],
        "max_references": options.max_references,
        "command": options.command,
    }
    files.update(write_report(out, records, state.batches, run))
    files["state"] = state.path
    return files


def _rejected_row(problem: Problem, decision: Decision) -> dict[str, Any]:
    row: Any = problem.raw  # an unreadable line, or a package's folder, stays as it was
    with contextlib.suppress(json.JSONDecodeError):
        row = json.loads(problem.raw)
    return {
        "index": problem.index,
        "name": problem.name,
        "source": problem.source,
        "reason": decision.reason,
        "reasons": decision.reasons,
        "detail": decision.detail,
        "row": row,
    }
