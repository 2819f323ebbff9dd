"""The rig the reliability benchmarks run on: a local stack of the run's own, watched from
outside, plus what both benchmarks share (counting the client's traffic, reading /metrics,
writing docs/reliability.md).

The stack gets a Redis on a free port with its data under a fresh folder, that folder as its
jails' work dir and temporary directory, and a cgroup parent named for the run, so that what
it leaves behind (processes, cgroups, files) can be told from other work on the machine.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
import shutil
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench import procs as bench_procs
from bench.doc import splice_section
from bench.procs import Proc
from crucible.retry import parse_retry_after
from server.stack import LocalStack, StackConfig, free_port
from workers.judge.settings import judge_settings
from workers.queue.settings import child_environment

REPORT = "reliability.md"
TITLE = (
    "# Reliability\n\n"
    "What was tried against Crucible, what it showed, and how to rerun each.  The soak and"
    " load sections are written by `crucible bench soak` and `crucible bench load`: the"
    " local stack (Redis, the gateway, one worker process per core) under steady load and a"
    " burst, driven through the client library.\n"
)
SHARED_CGROUP_PARENT = "NSJAIL"
STOP_GRACE_S = 10.0  # how long a stopped stack's processes may take to go before they count
METRICS_TIMEOUT_S = 10.0
READY_TIMEOUT_S = 120.0
HEX_ID = re.compile(r"(?<=/)[0-9a-f]{16,}(?=/|$)")  # test set hashes, submission and batch ids


@dataclass(frozen=True, slots=True)
class Leaks:
    """What a stopped stack left behind; empty tuples mean nothing."""

    processes: tuple[str, ...]
    cgroups: tuple[str, ...]
    files: tuple[str, ...]
    pids_watched: int
    own_fds_before: int
    own_fds_after: int
    shared_cgroups_before: int
    shared_cgroups_after: int

    @property
    def clean(self) -> bool:
        return not (self.processes or self.cgroups or self.files) and (
            self.own_fds_after <= self.own_fds_before
        )


class Rig:
    """Start with `with Rig(workers=2) as rig:`; `rig.leaks` is filled in once it stopped."""

    def __init__(
        self,
        *,
        workers: int,
        settings: dict[str, str] | None = None,
        stop_grace_s: float = STOP_GRACE_S,
    ) -> None:
        self.workers = workers
        self.stop_grace_s = stop_grace_s
        self.root = Path(tempfile.mkdtemp(prefix="crucible-reliability-"))
        self.root.chmod(0o711)  # the jails' uid must reach the work dir below it
        self.work_dir = self.root / "jails"
        self.tmp_dir = self.root / "tmp"
        self.cgroup_root = judge_settings().cgroup_root
        self.cgroup_parent = f"crucible-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        env = child_environment(CRUCIBLE_LOG_LEVEL="WARNING", **(settings or {}))
        # The stack puts its jails in root/jails, its children's TMPDIR in root/tmp.
        config = StackConfig(
            "127.0.0.1",
            free_port(),
            workers,
            free_port(),
            self.root,
            env=env,
            run_dir=self.root,
            cgroup_parent=self.cgroup_parent,
            cgroup_root=self.cgroup_root,
        )
        self.stack = LocalStack(config)
        self.seen: dict[int, int] = {}  # pid -> start time of every stack process observed
        self.leaks: Leaks | None = None
        self._fds_before = 0
        self._shared_before = 0
        self._pids: dict[str, int] = {}

    @property
    def url(self) -> str:
        return self.stack.url

    def __enter__(self) -> Rig:
        self._fds_before = bench_procs.own_fds()
        self._shared_before = len(self._shared_cgroups())
        try:
            self.stack.start()
            self._pids = {
                "gateway": self.stack.children["gateway"].pid,
                "supervisor": self.stack.children["workers"].pid,
                "redis": self.stack.redis.proc.pid if self.stack.redis.proc else -1,
            }
            self._wait_for_workers()
        except BaseException:
            self.stack.stop()
            shutil.rmtree(self.root, ignore_errors=True)
            bench_procs.remove_cgroup_parents(self.cgroup_root, self.cgroup_parent)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.processes()  # the last look at who runs, so that all of them are checked
        self.stack.stop()
        try:
            self.leaks = self._leftovers()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            bench_procs.remove_cgroup_parents(self.cgroup_root, self.cgroup_parent)

    def processes(self) -> dict[str, list[Proc]]:
        """The stack's processes by kind (bench_procs.KINDS), with their usage; remembered."""
        kinds = bench_procs.stack_processes(
            gateway=self._pids["gateway"],
            supervisor=self._pids["supervisor"],
            redis=self._pids["redis"],
        )
        for procs in kinds.values():
            self.seen.update((p.pid, p.start) for p in procs)
        return kinds

    def gateway_metrics(self) -> dict[str, float]:
        return scrape(f"{self.url}/metrics")

    def worker_metrics(self) -> dict[str, float]:
        return scrape(f"http://127.0.0.1:{self.stack.config.metrics_port}/metrics")

    def _wait_for_workers(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                reply = httpx.get(f"{self.url}/readyz", timeout=5)
                if reply.status_code == 200 and reply.json()["workers"] >= self.workers:
                    return
            self.stack.check_children()
            time.sleep(0.2)
        raise RuntimeError(f"{self.workers} worker(s) did not become ready")

    def _leftovers(self) -> Leaks:
        markers = (str(self.root), self.stack.redis.url, self.cgroup_parent)
        deadline = time.monotonic() + self.stop_grace_s
        while True:
            procs = {p.pid: p for p in bench_procs.survivors(self.seen)}
            procs.update((p.pid, p) for p in bench_procs.marked(markers))
            cgroups = bench_procs.cgroups_under(self.cgroup_root, self.cgroup_parent)
            if (not procs and not cgroups) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        files = [*bench_procs.files_under(self.work_dir), *bench_procs.files_under(self.tmp_dir)]
        return Leaks(
            processes=tuple(f"{p.pid} {p.name}: {p.cmdline[:200]}" for p in procs.values()),
            cgroups=tuple(map(str, cgroups)),
            files=tuple(str(f.relative_to(self.root)) for f in files),
            pids_watched=len(self.seen),
            own_fds_before=self._fds_before,
            own_fds_after=bench_procs.own_fds(),
            shared_cgroups_before=self._shared_before,
            shared_cgroups_after=len(self._shared_cgroups()),
        )

    def _shared_cgroups(self) -> list[Path]:
        with contextlib.suppress(Exception):
            return bench_procs.cgroups_under(self.cgroup_root, SHARED_CGROUP_PARENT)
        return []


def scrape(url: str) -> dict[str, float]:
    """The samples of the Prometheus page at `url` (see `samples`)."""
    return samples(httpx.get(url, timeout=METRICS_TIMEOUT_S).raise_for_status().text)


def samples(text: str) -> dict[str, float]:
    """Samples of a Prometheus page, keyed `name{label="value",...}` (labels sorted)."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            key = f"{sample.name}{{{labels}}}"
            found[key] = found.get(key, 0.0) + sample.value
    return found


def metric(samples: dict[str, float], name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    wanted = [f'{k}="{v}"' for k, v in labels.items()]
    return sum(
        value
        for key, value in samples.items()
        if key.startswith(name + "{") and all(w in key for w in wanted)
    )


class CountingTransport(httpx.AsyncBaseTransport):
    """The client's HTTP transport, counting what came back: replies by status, failures on
    the way, and for each batch POST (told apart by its body, which a retry sends again) how
    many 429s it got before the gateway took it, and how long that took."""

    def __init__(
        self, *, max_connections: int, inner: httpx.AsyncBaseTransport | None = None
    ) -> None:
        limits = httpx.Limits(max_connections=max_connections)
        self.inner = inner or httpx.AsyncHTTPTransport(limits=limits)
        self.statuses: Counter[int] = Counter()
        self.failures = 0
        self.refused: Counter[str] = Counter()
        self.first_try: dict[str, float] = {}
        self.admitted: dict[str, float] = {}
        self.faults: Counter[str] = Counter()  # 5xx replies by route, status and body
        self.retry_after: float | None = None  # the last 429's Retry-After, in seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        batch = request.method == "POST" and request.url.path == "/v1/batches"
        key = hashlib.sha256(request.content).hexdigest() if batch else ""
        if batch:
            self.first_try.setdefault(key, time.perf_counter())
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.TransportError:
            self.failures += 1
            raise
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            await response.aread()
            route = HEX_ID.sub("{id}", request.url.path)
            self.faults[
                f"{request.method} {route} {response.status_code} {response.text[:160]}"
            ] += 1
        if response.status_code == 429:
            self.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if batch and response.status_code == 429:
            self.refused[key] += 1
        elif batch and response.status_code < 300:
            self.admitted.setdefault(key, time.perf_counter())
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def admission_waits(self) -> list[float]:
        """Seconds from each batch's first POST to the one the gateway took."""
        return [at - self.first_try[key] for key, at in self.admitted.items()]


def percentile(values: list[float] | tuple[float, ...], q: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def utc_now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def write_section(out: Path, text: str, *, heading: str) -> Path:
    """Put `text` (a `## ` section) into out/reliability.md, replacing its older self."""
    report = out / REPORT
    if not report.is_file():
        out.mkdir(parents=True, exist_ok=True)
        report.write_text(TITLE)
    return splice_section(report, heading, text)


def fault_lines(faults: Counter[str]) -> list[str]:
    """One report line per kind of 5xx reply, most frequent first."""
    return [f"{n} x `{kind.rstrip()}`" for kind, n in faults.most_common()]
