"""`crucible bench load`: a bounded burst against the local stack, with backpressure.

The gateway queues at most `max_queued` jobs and answers 429 with Retry-After beyond that.
`count` distinct submissions (bench/rollouts.py: real problems, a quarter of the
samples wrong, every right reward known) are handed at one instant to `ranks` clients
(AsyncRewardClient, each with its own connection pool, as a trainer's ranks have): every
prompt's group of samples is one `grade_many` call, all of them concurrent.  Measured: each
submission's latency (burst start to its group's results), throughput, 429s seen by the
client and counted by the gateway, retries, and whether every submission got exactly its
right reward.  Then the stack stops and is checked for leftovers (bench/rig.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench.rig import (
    CountingTransport,
    Leaks,
    Rig,
    fault_lines,
    load_average,
    metric,
    percentile,
    samples,
    utc_now,
    write_section,
)
from bench.rollouts import Group, Outcome, Tally, load_problems, rollout_groups, tally
from crucible.client import AsyncRewardClient
from crucible.errors import CrucibleError
from crucible.retry import DEFAULT_RETRY

SECTION = "## Load: a burst against the local stack"
RAW = "reliability-load.json"
# The clients run the default policy, as a trainer would: it waits out 429s (backpressure)
# for up to an hour in all, whatever their number, within the call's deadline.
RETRY = DEFAULT_RETRY
DEADLINE_S = 3600.0
WATCH_S = 1.0
# What the burst reads from /metrics (report name -> series, labels), before and after.
GATEWAY_COUNTS = {
    "429_queue_full": ("crucible_http_errors_total", {"code": "queue_full"}),
    "503_redis_unavailable": ("crucible_http_errors_total", {"code": "redis_unavailable"}),
    "enqueued": ("crucible_submissions_total", {"outcome": "enqueued"}),
    "joined": ("crucible_submissions_total", {"outcome": "joined"}),
    "cached": ("crucible_submissions_total", {"outcome": "cached"}),
}
WORKER_COUNTS = {
    "graded": ("crucible_results_total", {"status": "graded"}),
    "error_results": ("crucible_results_total", {"status": "error"}),
    "requeued": ("crucible_jobs_requeued_total", {}),
}


@dataclass(frozen=True, slots=True)
class LoadResult:
    date: str
    cores: int
    workers: int
    ranks: int
    group_size: int
    submissions: int
    max_queued: int
    retry_after_s: float | None  # as the gateway's 429s said (None: no 429)
    wall_s: float
    latencies_s: tuple[float, ...]
    admission_waits_s: tuple[float, ...]
    tally: Tally
    failures: tuple[str, ...]  # what the client raised, for lost groups (first few)
    replies: dict[str, int]  # HTTP status -> replies the clients got
    transport_failures: int
    faults: tuple[str, ...]  # the 5xx replies the clients got: how many of each kind
    refused_most: int  # most 429s one batch POST got before the gateway took it
    server: dict[str, float]  # from the gateway's and workers' /metrics, over the burst
    load: tuple[float, float, float]  # 1-minute load average: before, highest during, after
    depth_high: float  # the most jobs the gateway's queue-depth gauge showed (every WATCH_S)
    leaks: Leaks

    @property
    def throughput(self) -> float:
        return self.submissions / self.wall_s if self.wall_s else 0.0

    @property
    def refusals(self) -> int:
        return self.replies.get("429", 0)

    @property
    def retries(self) -> int:
        """Requests the clients sent again: after a 429, a 5xx or a failure on the way."""
        again = sum(
            n for status, n in self.replies.items() if status in ("429", "502", "503", "504")
        )
        return again + self.transport_failures

    @property
    def ok(self) -> bool:
        t = self.tally
        return t.right == self.submissions and not (t.wrong or t.errors or t.lost)


def run_load(
    *,
    count: int,
    workers: int,
    max_queued: int,
    ranks: int = 8,
    group_size: int = 16,
    concurrency: int = 16,
    retry_after_s: int | None = None,
    datasets: Path,
) -> LoadResult:
    """Start a stack, send the burst, check every reward, stop the stack, look for leftovers."""
    groups = rollout_groups(
        load_problems(datasets), count=count, size=group_size, run=uuid.uuid4().hex[:12]
    )
    settings = {"CRUCIBLE_MAX_QUEUED": str(max_queued)}
    if retry_after_s is not None:
        settings["CRUCIBLE_RETRY_AFTER_S"] = str(retry_after_s)
    load_before = load_average()
    with Rig(workers=workers, settings=settings) as rig:
        gateway_before, workers_before = rig.gateway_metrics(), rig.worker_metrics()
        burst = asyncio.run(_burst(rig.url, groups, ranks=ranks, concurrency=concurrency))
        gateway_after, workers_after = rig.gateway_metrics(), rig.worker_metrics()
    assert rig.leaks is not None
    server = {
        **_counted(gateway_before, gateway_after, GATEWAY_COUNTS),
        **_counted(workers_before, workers_after, WORKER_COUNTS),
    }
    shape = (workers, ranks, group_size, count, max_queued)
    return _result(burst, groups, rig.leaks, server=server, load_before=load_before, shape=shape)


def _counted(
    before: dict[str, float], after: dict[str, float], table: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, float]:
    """How much each counter of `table` (name -> series, labels) grew from before to after."""
    return {
        name: metric(after, series, **labels) - metric(before, series, **labels)
        for name, (series, labels) in table.items()
    }


@dataclass(frozen=True, slots=True)
class Burst:
    outcomes: list[Outcome]
    wall_s: float
    transports: list[CountingTransport]
    watch: Watch


@dataclass
class Watch:
    """The highest 1-minute load average and queue depth (the gateway's gauge) seen."""

    load_high: float = 0.0
    depth_high: float = 0.0

    async def run(self, url: str) -> None:
        async with httpx.AsyncClient(timeout=WATCH_S * 5) as http:
            while True:
                self.load_high = max(self.load_high, load_average())
                with contextlib.suppress(httpx.HTTPError):
                    reply = await http.get(f"{url}/metrics")
                    depth = metric(samples(reply.text), "crucible_queue_depth")
                    self.depth_high = max(self.depth_high, depth)
                await asyncio.sleep(WATCH_S)


async def _burst(url: str, groups: list[Group], *, ranks: int, concurrency: int) -> Burst:
    transports = [CountingTransport(max_connections=concurrency) for _ in range(ranks)]
    clients = [
        AsyncRewardClient(
            url, token="", max_concurrency=concurrency, deadline_s=DEADLINE_S, retry=RETRY,
            progress=False, transport=transport,
        )
        for transport in transports
    ]  # fmt: skip
    watch = Watch()
    started = time.perf_counter()

    async def one(client: AsyncRewardClient, group: Group) -> Outcome:
        try:
            results = await client.grade_many(list(group.submissions), on_error="none")
        except CrucibleError as exc:
            return None, time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:300]
        return results, time.perf_counter() - started, ""

    watcher = asyncio.ensure_future(watch.run(url))
    try:
        outcomes = await asyncio.gather(
            *(one(clients[i % ranks], group) for i, group in enumerate(groups))
        )
    finally:
        watcher.cancel()
        for client in clients:
            await client.aclose()
    return Burst(list(outcomes), time.perf_counter() - started, transports, watch)


def _result(
    burst: Burst,
    groups: list[Group],
    leaks: Leaks,
    *,
    server: dict[str, float],
    load_before: float,
    shape: tuple[int, int, int, int, int],
) -> LoadResult:
    workers, ranks, group_size, count, max_queued = shape
    replies: Counter[int] = Counter()
    refused: Counter[str] = Counter()
    waits: list[float] = []
    for transport in burst.transports:
        replies.update(transport.statuses)
        refused.update(transport.refused)
        waits.extend(transport.admission_waits())
    latencies = [
        round(latency, 4)
        for group, (_, latency, _) in zip(groups, burst.outcomes, strict=True)
        for _ in group.expected
    ]
    return LoadResult(
        date=utc_now(),
        cores=os.cpu_count() or 1,
        workers=workers,
        ranks=ranks,
        group_size=group_size,
        submissions=count,
        max_queued=max_queued,
        retry_after_s=max((t.retry_after for t in burst.transports if t.retry_after), default=None),
        wall_s=round(burst.wall_s, 3),
        latencies_s=tuple(latencies),
        admission_waits_s=tuple(sorted(round(w, 3) for w in waits)),
        tally=tally(groups, burst.outcomes),
        failures=tuple(message for _, _, message in burst.outcomes if message)[:10],
        replies={str(status): n for status, n in sorted(replies.items())},
        transport_failures=sum(t.failures for t in burst.transports),
        faults=tuple(fault_lines(sum((t.faults for t in burst.transports), Counter()))),
        refused_most=max(refused.values(), default=0),
        server=server,
        load=(load_before, burst.watch.load_high, load_average()),
        depth_high=burst.watch.depth_high,
        leaks=leaks,
    )


def render(result: LoadResult, *, concurrency: int = 16) -> str:
    """The report's section for the burst."""
    t, leaks, server = result.tally, result.leaks, result.server
    lat, waits = result.latencies_s, result.admission_waits_s
    groups = -(-result.submissions // result.group_size)
    before, high, after = result.load
    rows = [
        ("wall time, burst start to the last result", f"{result.wall_s:.1f} s"),
        ("throughput", f"{result.throughput:.1f} submissions/s"),
        ("latency per submission, p50 / p99 / max", _seconds(lat)),
        ("batch POST to admission, p50 / p99 / max", _seconds(waits)),
        ("highest queue depth seen (the gateway's gauge, every second)",
         f"{result.depth_high:,.0f} (threshold {result.max_queued:,})"),
        ("429s seen by the clients / counted by the gateway",
         f"{result.refusals:,} / {server.get('429_queue_full', 0):,.0f}"),
        ("503s seen by the clients / `redis_unavailable` counted by the gateway",
         f"{result.replies.get('503', 0):,} / {server.get('503_redis_unavailable', 0):,.0f}"),
        ("requests sent again (after a 429, a 5xx or a failure on the way)",
         f"{result.retries:,} ({result.transport_failures} failures on the way)"),
        ("most 429s one batch absorbed before it got in (the default retry policy)",
         f"{result.refused_most}"),
        ("rewards as known: right / wrong / judge faults / lost",
         f"{t.right:,} / {t.wrong} / {t.errors} / {t.lost}"),
        ("gateway: jobs enqueued / joined / answered from cache",
         f"{server.get('enqueued', 0):,.0f} / {server.get('joined', 0):,.0f}"
         f" / {server.get('cached', 0):,.0f}"),
        ("workers: results graded / errors; jobs requeued",
         f"{server.get('graded', 0):,.0f} / {server.get('error_results', 0):,.0f};"
         f" {server.get('requeued', 0):,.0f}"),
        ("after the stop: processes / cgroups / files left",
         f"{len(leaks.processes)} / {len(leaks.cgroups)} / {len(leaks.files)}"),
    ]  # fmt: skip
    absorbed = result.refusals > 0 and result.ok
    lines = [
        SECTION,
        "",
        f"{result.submissions:,} distinct submissions handed at one instant to {result.ranks}"
        f" clients (`AsyncRewardClient`, {concurrency} connections each, like a trainer's ranks):"
        f" one `grade_many` per prompt group of {result.group_size} samples sharing a test set,"
        f" {groups} calls at once. Problems from HumanEval, DeepCoder's LeetCode split, MBPP"
        " (sanitized) and a synthetic stdio sum, in turn; one sample in four is wrong (reward 0),"
        " the others are reference programs (reward 1). The gateway queues at most"
        f" {result.max_queued:,} jobs and answers 429 with `Retry-After: {_after(result)}`"
        f" beyond that; the clients run the default retry policy, which waits out 429s within"
        f" the call's deadline ({DEADLINE_S:.0f} s here). Latency"
        " is from the burst's start to the results of the submission's group. Local stack:"
        f" {result.workers} worker processes on {result.cores} cores of a shared machine (1-minute"
        f" load average {before:g} before, up to {high:g} during, {after:g} after); {result.date}.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        f"- Every submission got exactly its known reward (none wrong, lost or faulted):"
        f" {'met' if result.ok else '**not met**'}.",
        f"- Backpressure reached the clients as 429s and their retries absorbed it:"
        f" {'met' if absorbed else '**not met**'}.",
        f"- The threshold ({result.max_queued:,} jobs) is a soft limit: a request is refused"
        " when the queue is over it as the request reads it, so requests admitted at the same"
        f" moment can each add their batch. At most {result.depth_high:,.0f} jobs were seen"
        f" queued ({max(result.depth_high - result.max_queued, 0):,.0f} over).",
        f"- Nothing left behind after the stop: {'met' if leaks.clean else '**not met**'}.",
        *(f"- Lost: {message}" for message in result.failures),
        *(f"- 5xx replies (each retried): {fault}" for fault in result.faults),
        *(f"- Left behind: {item}" for item in (*leaks.processes, *leaks.cgroups, *leaks.files)),
    ]
    return "\n".join(lines) + "\n"


def _after(result: LoadResult) -> str:
    return "(none sent)" if result.retry_after_s is None else f"{result.retry_after_s:g}"


def _seconds(values: tuple[float, ...]) -> str:
    return " / ".join(f"{percentile(values, q):.2f}" for q in (50, 99, 100)) + " s"


def write_load(result: LoadResult, out: Path, *, concurrency: int = 16) -> list[Path]:
    """The section into out/reliability.md, the raw numbers into out/reliability-load.json."""
    report = write_section(out, render(result, concurrency=concurrency), heading=SECTION)
    raw = out / RAW
    numbers = {**asdict(result), "throughput": result.throughput, "retries": result.retries}
    raw.write_text(json.dumps(numbers, indent=1) + "\n")
    return [report, raw]


def run_load_report(
    *, count: int, workers: int, max_queued: int | None, out: Path, datasets: Path
) -> int:
    """`crucible bench load`: 0 when every reward was right and 429s were absorbed."""
    threshold = max_queued if max_queued is not None else max(count // 5, 16)
    result = run_load(count=count, workers=workers, max_queued=threshold, datasets=datasets)
    for path in write_load(result, out):
        print(f"crucible bench: wrote {path}", file=sys.stderr, flush=True)
    return 0 if result.ok and result.leaks.clean else 1
