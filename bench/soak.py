"""`crucible bench soak`: steady load for N minutes, the stack's processes watched.

Open loop at a fixed rate well under capacity: every second one prompt's group of `rate`
samples (bench/rollouts.py: known rewards, a quarter wrong) goes to one client as a
`grade_many`, whether or not the earlier ones are done.  Every `sample_s` seconds the
resident memory, open descriptors and threads of each process kind are read from /proc:
the gateway, the worker supervisor, its worker processes, the jails below them, Redis.
Memory is flat when its least-squares slope after the warm-up stays under
GROWTH_MB_PER_H per process.  After the stop: leftover processes, cgroups and files.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.procs import KINDS, Usage, usage
from bench.rig import (
    CountingTransport,
    Leaks,
    Rig,
    fault_lines,
    load_average,
    percentile,
    utc_now,
    write_section,
)
from bench.rollouts import (
    Group,
    Outcome,
    Problem,
    Tally,
    load_problems,
    rollout_groups,
    tally,
)
from crucible.client import AsyncRewardClient
from crucible.errors import CrucibleError

SECTION = "## Soak: steady load, memory over time"
RAW = "reliability-soak.json"
PLOT = "reliability-soak-memory.png"
GROWTH_MB_PER_H = 5.0  # per process, after the warm-up
WARM_UP = 1 / 6  # of the run, left out of the slope (caches filling, jails first started)
FLAGGED_KINDS = ("gateway", "supervisor", "workers")  # jails come and go; Redis keeps results
CONNECTIONS = 16


@dataclass(frozen=True, slots=True)
class Sample:
    t_s: float
    load: float
    kinds: dict[str, Usage]
    worker_pids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Trend:
    """One process kind over the run."""

    kind: str
    processes: int  # at the end
    start_mb: float
    end_mb: float
    peak_mb: float
    slope_mb_per_h: float  # after the warm-up
    fds: tuple[int, int, int]  # start, end, peak
    threads: tuple[int, int]  # start, end

    @property
    def growing(self) -> bool:
        return self.kind in FLAGGED_KINDS and self.slope_mb_per_h > GROWTH_MB_PER_H * max(
            self.processes, 1
        )


@dataclass(frozen=True, slots=True)
class SoakResult:
    date: str
    cores: int
    workers: int
    minutes: float
    rate: int
    duration_s: float
    submitted: int
    tally: Tally
    latencies_s: tuple[float, ...]
    late_ticks: int  # seconds whose group went out more than a second late
    failures: tuple[str, ...]
    replies: dict[str, int]
    faults: tuple[str, ...]
    samples: tuple[Sample, ...]
    trends: tuple[Trend, ...]
    worker_restarts: int
    load: tuple[float, float, float]  # 1-minute load average: before, highest sampled, after
    leaks: Leaks

    @property
    def ok(self) -> bool:
        t = self.tally
        return t.right == self.submitted and not (t.wrong or t.errors or t.lost)

    @property
    def flat(self) -> bool:
        return not any(trend.growing for trend in self.trends)


def run_soak(
    *, minutes: float, rate: int, workers: int, datasets: Path, sample_s: float = 10.0
) -> SoakResult:
    """Start a stack, load it steadily for `minutes`, sample it, stop it, look for leftovers."""
    problems = load_problems(datasets)
    load_before = load_average()
    with Rig(workers=workers) as rig:
        driven = asyncio.run(_drive(rig, problems, rate=rate, minutes=minutes, sample_s=sample_s))
    assert rig.leaks is not None
    samples = tuple(driven.samples)
    pids = {pid for s in samples for pid in s.worker_pids}
    return SoakResult(
        date=utc_now(),
        cores=os.cpu_count() or 1,
        workers=workers,
        minutes=minutes,
        rate=rate,
        duration_s=round(driven.duration_s, 1),
        submitted=sum(len(g.expected) for g in driven.groups),
        tally=tally(driven.groups, driven.outcomes),
        latencies_s=tuple(
            round(latency, 4)
            for group, (_, latency, _) in zip(driven.groups, driven.outcomes, strict=True)
            for _ in group.expected
        ),
        late_ticks=driven.late_ticks,
        failures=tuple(message for _, _, message in driven.outcomes if message)[:10],
        replies={str(k): n for k, n in sorted(driven.transport.statuses.items())},
        faults=tuple(fault_lines(driven.transport.faults)),
        samples=samples,
        trends=tuple(trend(kind, samples) for kind in KINDS),
        worker_restarts=max(len(pids) - workers, 0),
        load=(load_before, max((s.load for s in samples), default=0.0), load_average()),
        leaks=rig.leaks,
    )


@dataclass
class Driven:
    groups: list[Group]
    outcomes: list[Outcome]
    samples: list[Sample]
    transport: CountingTransport
    duration_s: float
    late_ticks: int


async def _drive(
    rig: Rig, problems: list[Problem], *, rate: int, minutes: float, sample_s: float
) -> Driven:
    transport = CountingTransport(max_connections=CONNECTIONS)
    client = AsyncRewardClient(
        rig.url, token="", max_concurrency=CONNECTIONS, progress=False, transport=transport
    )
    run, ticks = uuid.uuid4().hex[:12], max(1, round(minutes * 60))
    groups: list[Group] = []
    pending: list[asyncio.Future[Outcome]] = []
    samples: list[Sample] = []
    late = 0
    started = time.monotonic()

    async def grade(group: Group) -> Outcome:
        sent = time.monotonic()
        try:
            results = await client.grade_many(list(group.submissions), on_error="none")
        except CrucibleError as exc:
            return None, time.monotonic() - sent, f"{type(exc).__name__}: {exc}"[:300]
        return results, time.monotonic() - sent, ""

    try:
        for tick in range(ticks):
            await asyncio.sleep(max(0.0, started + tick - time.monotonic()))
            late += time.monotonic() - (started + tick) > 1.0
            group = rollout_groups(problems, count=rate, size=rate, run=run, first=tick)[0]
            groups.append(group)
            pending.append(asyncio.ensure_future(grade(group)))
            if time.monotonic() - started >= len(samples) * sample_s:
                samples.append(await asyncio.to_thread(_sample, rig, started))
        outcomes = list(await asyncio.gather(*pending))
        samples.append(await asyncio.to_thread(_sample, rig, started))
    finally:
        await client.aclose()
    return Driven(groups, outcomes, samples, transport, time.monotonic() - started, late)


def _sample(rig: Rig, started: float) -> Sample:
    kinds = rig.processes()
    return Sample(
        t_s=round(time.monotonic() - started, 1),
        load=load_average(),
        kinds={kind: usage(procs) for kind, procs in kinds.items()},
        worker_pids=tuple(sorted(p.pid for p in kinds["workers"])),
    )


def trend(kind: str, samples: tuple[Sample, ...]) -> Trend:
    """`kind`'s memory, descriptors and threads over `samples`."""
    series = [(s.t_s, s.kinds[kind]) for s in samples if kind in s.kinds]
    if not series:
        return Trend(kind, 0, 0.0, 0.0, 0.0, 0.0, (0, 0, 0), (0, 0))
    first, last = series[0][1], series[-1][1]
    settled = [(t, u.rss_mb) for t, u in series if t >= WARM_UP * series[-1][0]]
    return Trend(
        kind=kind,
        processes=last.processes,
        start_mb=first.rss_mb,
        end_mb=last.rss_mb,
        peak_mb=max(u.rss_mb for _, u in series),
        slope_mb_per_h=round(slope(settled if len(settled) >= 2 else series_mb(series)), 2),
        fds=(first.fds, last.fds, max(u.fds for _, u in series)),
        threads=(first.threads, last.threads),
    )


def series_mb(series: list[tuple[float, Usage]]) -> list[tuple[float, float]]:
    return [(t, u.rss_mb) for t, u in series]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per hour; 0 for fewer than two."""
    if len(points) < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return 3600 * sum((t - mean_t) * (y - mean_y) for t, y in points) / spread


def _replies_again(replies: dict[str, int]) -> int:
    return sum(n for status, n in replies.items() if status in ("429", "502", "503", "504"))


def render(result: SoakResult, *, plot: str | None = PLOT) -> str:
    """The report's section for the soak."""
    t, leaks = result.tally, result.leaks
    lat = result.latencies_s
    before, high, after = result.load
    rows = [
        f"| {tr.kind} | {tr.processes} | {tr.start_mb:.1f} | {tr.end_mb:.1f} | {tr.peak_mb:.1f}"
        f" | {tr.slope_mb_per_h:+.1f}{' **growing**' if tr.growing else ''}"
        f" | {tr.fds[0]} / {tr.fds[1]} / {tr.fds[2]} | {tr.threads[0]} / {tr.threads[1]} |"
        for tr in result.trends
    ]
    leftovers = (*leaks.processes, *leaks.cgroups, *leaks.files)
    lines = [
        SECTION,
        "",
        f"{result.duration_s / 60:.1f} minutes of open-loop load at {result.rate} submissions/s"
        f" (one prompt group of {result.rate} samples sharing a test set per second, one"
        " `grade_many` each, through one `AsyncRewardClient`), problems and wrong samples as"
        f" in the burst: {result.submitted:,} submissions. Local stack: {result.workers} worker"
        f" processes on {result.cores} cores of a shared machine (1-minute load average"
        f" {before:g} before, up to {high:g} sampled, {after:g} after); {result.date}."
        f" Processes read from /proc every {_interval(result):.0f} s ({len(result.samples)}"
        f" samples); the slope leaves out the first {WARM_UP:.0%} of the run (warm-up).",
        "",
        "| process kind | processes | RSS start MB | end MB | peak MB | slope MB/h"
        " | fds start / end / peak | threads start / end |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        *([f"![memory over time]({plot})", ""] if plot else []),
        f"*workers* sums the {result.workers} worker processes; *jails* is every nsjail and"
        " the processes in it (warm jails are retired after a number of uses or an age, so they"
        " come and go); Redis holds every result for `CRUCIBLE_RESULT_TTL_S` (a day), so it"
        " grows with the results by design.",
        "",
        f"- Rewards as known: {t.right:,} right, {t.wrong} wrong, {t.errors} judge faults,"
        f" {t.lost} lost; latency per submission p50 {percentile(lat, 50):.2f} s, p99"
        f" {percentile(lat, 99):.2f} s; {result.late_ticks} seconds sent late; replies"
        f" {result.replies}, {_replies_again(result.replies)} retried.",
        f"- Gateway and worker memory flat (under {GROWTH_MB_PER_H:g} MB/h per process after"
        f" the warm-up): {'met' if result.flat else '**not met**'}; worker processes restarted:"
        f" {result.worker_restarts}.",
        f"- After the stop, nothing left behind: {'met' if leaks.clean else '**not met**'}"
        f" ({leaks.pids_watched} stack processes watched, none alive; no process naming the"
        " run's folder, Redis or cgroup parent; jail cgroups under the run's parent:"
        f" {len(leaks.cgroups)}; files in its work and temporary dirs: {len(leaks.files)};"
        f" this process's descriptors {leaks.own_fds_before} before, {leaks.own_fds_after}"
        f" after). Jail cgroups in the machine's shared `NSJAIL` parents (other work uses"
        f" them too): {leaks.shared_cgroups_before} before, {leaks.shared_cgroups_after} after.",
        *(f"- Left behind: {item}" for item in leftovers),
        *(f"- Lost: {message}" for message in result.failures),
        *(f"- 5xx replies (each retried): {fault}" for fault in result.faults),
    ]
    return "\n".join(lines) + "\n"


def _interval(result: SoakResult) -> float:
    times = [s.t_s for s in result.samples]
    return (times[-1] - times[0]) / (len(times) - 1) if len(times) > 1 else 0.0


def write_soak(result: SoakResult, out: Path) -> list[Path]:
    """The section into out/reliability.md, the raw numbers into out/reliability-soak.json,
    and the memory plot when matplotlib is there."""
    written = []
    try:
        from bench.soak_plot import plot_memory
    except ImportError:  # matplotlib is a dev extra
        plot = None
    else:
        written.append(plot_memory(result.samples, out / PLOT))
        plot = PLOT
    written.insert(0, write_section(out, render(result, plot=plot), heading=SECTION))
    raw = out / RAW
    numbers = {**asdict(result), "flat": result.flat, "ok": result.ok}
    raw.write_text(json.dumps(numbers, indent=1) + "\n")
    return [*written, raw]


def run_soak_report(*, minutes: float, rate: int, workers: int, out: Path, datasets: Path) -> int:
    """`crucible bench soak`: 0 when every reward was right, memory stayed flat and
    nothing was left behind."""
    result = run_soak(minutes=minutes, rate=rate, workers=workers, datasets=datasets)
    for path in write_soak(result, out):
        print(f"crucible bench: wrote {path}", file=sys.stderr, flush=True)
    return 0 if result.ok and result.flat and result.leaks.clean else 1
