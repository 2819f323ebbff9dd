"""The service benchmark: the whole stack through HTTP against the judge called directly.

Starts the local stack (Redis, gateway, one worker process per core), then, in one run:
- throughput: the same kind of submissions graded by the judge directly (a thread per
  worker) and through the service (one batch per chunk, results long-polled), in
  ROUNDS palindromes of chunks (direct, service, service + 1, service + 1, service,
  direct), so that drift and bursts in the machine's load weigh on every mode alike;
- overhead: submissions sent one at a time with `?wait=`; the gateway's share is the
  client's end-to-end time less the judge's own time for that submission (`time_s`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench.doc import SERVICE_SECTION, splice_section
from crucible.schema import StdioCase, StdioTestSet, Submission, testset_hash
from server.stack import LocalStack, StackConfig, free_port
from workers.judge.grade import Judge

PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"
HTTP_TIMEOUT_S = 600.0
SETTLE_S = 0.05
ROUNDS = 3


@dataclass(frozen=True, slots=True)
class Latencies:
    """Milliseconds per submission."""

    overhead: tuple[float, ...]
    end_to_end: tuple[float, ...]
    intake: tuple[float, ...]
    delivery: tuple[float, ...]
    # The same two requests as the gateway timed them (its Server-Timing header).
    intake_server: tuple[float, ...] = ()
    delivery_server: tuple[float, ...] = ()

    @property
    def gateway(self) -> float:
        """The gateway's own time per submission: p50 of accepting + p50 of answering, as the
        gateway timed them (as the client did, where the gateway sent no timing)."""
        intake = self.intake_server or self.intake
        delivery = self.delivery_server or self.delivery
        return statistics.median(intake) + statistics.median(delivery)


@dataclass(frozen=True, slots=True)
class ServiceBench:
    workers: int
    submissions: int
    tests_per_submission: int
    direct_wall_s: float
    service_wall_s: float
    plus_one_wall_s: float
    latencies: Latencies
    errors: int
    redis_round_trip_ms: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def ratio(self) -> float:
        return self.direct_wall_s / self.service_wall_s if self.service_wall_s else 0.0

    @property
    def plus_one_ratio(self) -> float:
        return self.direct_wall_s / self.plus_one_wall_s if self.plus_one_wall_s else 0.0


def workload_tests(count: int) -> StdioTestSet:
    return StdioTestSet(
        cases=[StdioCase(input=f"{i} {i + 1}\n", output=f"{2 * i + 1}\n") for i in range(count)]
    )


def programs(count: int) -> list[str]:
    """Distinct programs (a fresh comment each), so the result cache never answers."""
    return [f"{PROGRAM}# {uuid.uuid4().hex}\n" for _ in range(count)]


def run_service_bench(
    *, workers: int, submissions: int = 600, tests: int = 10, latency_samples: int = 100
) -> ServiceBench:
    """Measure on this machine (needs redis-server and nsjail).  The service runs with
    `workers` worker processes (the default: one per core) and, for comparison, one more."""
    testset = workload_tests(tests)
    sha = testset_hash(testset)
    load_before = os.getloadavg()[0]
    judge = Judge()
    with contextlib.ExitStack() as cleanup:
        served = [
            cleanup.enter_context(_serving(n, cleanup, testset)) for n in (workers, workers + 1)
        ]
        clients = [client for client, _ in served]
        modes: list[Callable[[list[str]], tuple[float, int]]] = [
            lambda codes: (_direct(judge, codes, testset, workers), 0),
            *(functools.partial(_through_service, client, sha=sha) for client in clients),
        ]
        walls = [0.0] * len(modes)
        errors = 0
        # Chunks ordered a, b, c, c, b, a, ROUNDS times: a drift in the machine's load weighs
        # on all alike, and more, shorter chunks average out its bursts.
        order = [*range(len(modes)), *reversed(range(len(modes)))] * ROUNDS
        chunks = 2 * ROUNDS
        for turn, index in enumerate(order):
            done = turn // len(modes)  # chunks this mode has run before this one
            count = submissions * (done + 1) // chunks - submissions * done // chunks
            wall, failed = modes[index](programs(count))
            walls[index] += wall
            errors += failed
        latencies = _latencies(clients[0], workload_tests(1), latency_samples)
        round_trip = redis_round_trip_ms(served[0][1])
    judge.close()
    return ServiceBench(
        workers=workers,
        submissions=submissions,
        tests_per_submission=tests,
        direct_wall_s=round(walls[0], 6),
        service_wall_s=round(walls[1], 6),
        plus_one_wall_s=round(walls[2], 6),
        latencies=latencies,
        errors=errors,
        redis_round_trip_ms=round_trip,
        load_before=round(load_before, 2),
        load_after=round(os.getloadavg()[0], 2),
    )


@contextlib.contextmanager
def _serving(
    workers: int, cleanup: contextlib.ExitStack, testset: StdioTestSet
) -> Iterator[tuple[httpx.Client, int]]:
    """A local stack with `workers` worker processes, the test set registered."""
    folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="crucible-bench-"))
    config = StackConfig(
        host="127.0.0.1",
        port=free_port(),
        workers=workers,
        metrics_port=free_port(),
        data_dir=Path(folder),
    )
    stack = LocalStack(config)
    stack.start()
    try:
        with httpx.Client(base_url=stack.url, timeout=HTTP_TIMEOUT_S) as client:
            _wait_for_workers(client, workers)
            sha = testset_hash(testset)
            client.put(f"/v1/testsets/{sha}", json=testset.model_dump(mode="json"))
            yield client, stack.redis.port
    finally:
        stack.stop()


def redis_round_trip_ms(port: int, samples: int = 200) -> float:
    """Median PING round trip to the stack's Redis: the unit most of the overhead is made of."""
    times: list[float] = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for _ in range(samples):
            started = time.perf_counter()
            sock.sendall(b"PING\r\n")
            sock.recv(64)
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


def _wait_for_workers(client: httpx.Client, workers: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = client.get("/readyz")
        if reply.status_code == 200 and reply.json()["workers"] >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{workers} workers did not become ready")


def _direct(judge: Judge, codes: list[str], testset: StdioTestSet, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda code: judge.grade(Submission(code=code, tests=testset)), codes))
    return time.perf_counter() - started


def _through_service(client: httpx.Client, codes: list[str], *, sha: str) -> tuple[float, int]:
    """Wall time from POSTing one batch to having every result; and how many were errors."""
    started = time.perf_counter()
    batch = {"submissions": [{"code": code, "testset": sha} for code in codes]}
    reply = client.post("/v1/batches", json=batch)
    reply.raise_for_status()
    batch_id = reply.json()["id"]
    while True:
        status = client.get(f"/v1/batches/{batch_id}", params={"wait": 120}).json()
        if status["done"] == status["total"]:
            break
    wall = time.perf_counter() - started
    return wall, sum(r["status"] != "graded" for r in status["results"])


def _latencies(client: httpx.Client, testset: StdioTestSet, samples: int) -> Latencies:
    """Per submission, one at a time: end-to-end overhead over the judge's own time; then the
    gateway's own share: accepting a submission (POST, 202) and, once it is graded,
    answering with its stored result (GET)."""
    tests = testset.model_dump(mode="json")
    overhead: list[float] = []
    e2e: list[float] = []
    for code in programs(samples):
        took, reply = _timed(client, "POST", "/v1/submissions", wait=60, code=code, tests=tests)
        e2e.append(took)
        overhead.append(round(took - reply.json()["result"]["time_s"] * 1000, 3))
    intake: list[float] = []
    delivery: list[float] = []
    intake_server: list[float] = []
    delivery_server: list[float] = []
    for code in programs(samples):
        # One at a time, each timed once the worker's own bookkeeping is over: the gateway's
        # cost alone, not that of sharing this machine's cores with a worker finishing a job.
        time.sleep(SETTLE_S)
        took, reply = _timed(client, "POST", "/v1/submissions", code=code, tests=tests)
        intake.append(took)
        intake_server.append(server_time_ms(reply))
        url = f"/v1/submissions/{reply.json()['id']}"
        client.get(url, params={"wait": 60})
        time.sleep(SETTLE_S)
        took, reply = _timed(client, "GET", url)
        delivery.append(took)
        delivery_server.append(server_time_ms(reply))
    return Latencies(
        tuple(overhead),
        tuple(e2e),
        tuple(intake),
        tuple(delivery),
        tuple(intake_server),
        tuple(delivery_server),
    )


def server_time_ms(reply: httpx.Response) -> float:
    """The gateway's own time for `reply`, from its `Server-Timing: app;dur=MS` header."""
    name, _, duration = reply.headers.get("server-timing", "").partition(";dur=")
    if name != "app" or not duration:
        raise ValueError(f"no gateway timing in {reply.headers.get('server-timing')!r}")
    return float(duration)


def _timed(
    client: httpx.Client, method: str, url: str, *, wait: float = 0, **body: object
) -> tuple[float, httpx.Response]:
    params = {"wait": wait} if wait else {}
    started = time.perf_counter()
    reply = client.request(method, url, params=params, json=body or None)
    took = round((time.perf_counter() - started) * 1000, 3)
    reply.raise_for_status()
    return took, reply


def percentile(values: tuple[float, ...], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


SECTION = SERVICE_SECTION


def render_service_section(bench: ServiceBench) -> str:
    """The markdown section for docs/benchmarks.md."""
    tests = bench.submissions * bench.tests_per_submission
    lat = bench.latencies
    gateway = lat.gateway
    client_side = statistics.median(lat.intake) + statistics.median(lat.delivery)
    rows = [
        ("end-to-end overhead (client time less the judge's `time_s`)", lat.overhead),
        ("the gateway's own time: accept a submission (POST, 202)", lat.intake_server),
        ("the gateway's own time: answer with a stored result (GET)", lat.delivery_server),
        ("the client's time for that POST (HTTP client and network included)", lat.intake),
        ("the client's time for that GET", lat.delivery),
        ("end to end, one-test submission", lat.end_to_end),
    ]
    rows = [(name, values) for name, values in rows if values]
    return "\n".join(
        [
            SECTION,
            "",
            f"The whole stack (`crucible run`: Redis, the gateway, {bench.workers} worker"
            f" processes, one per core) against the judge called directly by {bench.workers}"
            f" threads, in one run: {bench.submissions} distinct submissions of"
            f" {bench.tests_per_submission} stdio tests each way (a registered test set; one"
            f" batch per chunk, long-polled), in {2 * ROUNDS} chunks each, ordered direct,"
            f" service, service + 1, service + 1, service, direct, {ROUNDS} times over.",
            "",
            "| mode | wall s | submissions/s | tests/s |",
            "|---|---:|---:|---:|",
            f"| judge directly, {bench.workers} threads | {bench.direct_wall_s:.2f}"
            f" | {bench.submissions / bench.direct_wall_s:.1f}"
            f" | {tests / bench.direct_wall_s:.0f} |",
            *(
                f"| through HTTP, {n} worker processes | {wall:.2f}"
                f" | {bench.submissions / wall:.1f} | {tests / wall:.0f} |"
                for n, wall in (
                    (bench.workers, bench.service_wall_s),
                    (bench.workers + 1, bench.plus_one_wall_s),
                )
            ),
            "",
            f"Latency per submission, {len(lat.overhead)} one-test submissions sent one at a"
            " time (ms):",
            "",
            "| measure | p50 | p99 |",
            "|---|---:|---:|",
            *(
                f"| {name} | {statistics.median(values):.1f} | {percentile(values, 99):.1f} |"
                for name, values in rows
            ),
            "",
            "The gateway's own time is what it reports in its `Server-Timing` header: from the"
            " request reaching the app to the response starting.  The client's time adds the"
            " HTTP client, the loopback and waiting for a core.  The end-to-end overhead is the"
            " gateway's time plus the queue hop: the worker's dequeue and its two rq writes"
            " (workers/queue/worker.py), its lease and result writes, and the wake-up of the"
            " waiting request.  An idle"
            f" Redis round trip costs {bench.redis_round_trip_ms:.2f} ms here (median PING); what"
            " costs is the Python around each one and waiting for a core: Redis, the gateway, the"
            f" client and the jails share {os.cpu_count()} cores (1-minute load average"
            f" {bench.load_before:g} before, {bench.load_after:g} after).",
            "",
            f"- Throughput through the service >= 0.9x the judge directly: {bench.ratio:.2f}x,"
            f" {'met' if bench.ratio >= 0.9 else '**not met**'} (with one worker process more"
            f" than cores, {bench.plus_one_ratio:.2f}x).",
            f"- The gateway adds <= 5 ms p50 per submission: {gateway:.1f} ms (its own time to"
            f" accept + answer; {client_side:.1f} ms as the client times them),"
            f" {'met' if gateway <= 5 else '**not met**'}; the whole service path adds"
            f" {statistics.median(lat.overhead):.1f} ms.",
            f"- Results that were errors: {bench.errors}.",
        ]
    )


def write_service_section(bench: ServiceBench, out: Path) -> list[Path]:
    """Put the section into out/benchmarks.md (replacing an older one, keeping the rest) and
    the raw numbers into out/bench-service.json."""
    report = splice_section(out / "benchmarks.md", SECTION, render_service_section(bench))
    raw = out / "bench-service.json"
    raw.write_text(json.dumps(asdict(bench), indent=1) + "\n")
    return [report, raw]


def run_service_report(*, workers: int, out: Path) -> int:
    """`crucible bench service`: measure, write, say where."""
    bench = run_service_bench(workers=workers)
    for path in write_service_section(bench, out):
        print(f"crucible bench: wrote {path}", file=sys.stderr, flush=True)
    return 0 if bench.errors == 0 else 1


if __name__ == "__main__":
    print(render_service_section(run_service_bench(workers=os.cpu_count() or 1)))
