"""The reliability benchmarks' arithmetic and bookkeeping, without a stack."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bench.procs import Proc, Usage, descendants
from bench.rig import CountingTransport, fault_lines, metric, percentile, write_section
from bench.rollouts import Group, rollout_groups, stdio_problems, tally
from bench.soak import GROWTH_MB_PER_H, Sample, slope, trend
from crucible.schema import RewardResult, Status, Verdict


def test_rollouts_are_all_distinct_and_one_in_four_is_wrong() -> None:
    groups = rollout_groups(stdio_problems(), count=100, size=16, run="r")
    codes = [s.code for g in groups for s in g.submissions]
    assert len(codes) == 100 and len(set(codes)) == 100
    assert [len(g.expected) for g in groups] == [16] * 6 + [4]
    assert sum(r == 0 for g in groups for r in g.expected) == 25
    later = rollout_groups(stdio_problems(), count=16, size=16, run="r", first=7)[0]
    assert later.submissions[0].code not in codes  # numbered on: still distinct


def _result(reward: int | None) -> RewardResult:
    if reward is None:
        return RewardResult(status=Status.error, reward=None)
    verdict = Verdict.passed if reward else Verdict.wrong_answer
    return RewardResult(
        status=Status.graded, reward=1 if reward else 0, pass_fraction=reward, verdict=verdict
    )


def test_tally_tells_right_wrong_faulted_and_lost_apart() -> None:
    group = Group("p", (), (1, 1, 0))
    outcomes = [
        ([_result(1), _result(1), _result(0)], 1.0, ""),
        ([_result(1), _result(0), _result(None)], 1.0, ""),
        (None, 2.0, "QueueFull: full"),
    ]
    counts = tally([group, group, group], outcomes)
    assert (counts.right, counts.wrong, counts.errors, counts.lost) == (4, 1, 1, 3)


def test_slope_is_megabytes_per_hour() -> None:
    points = [(t, 100.0 + t / 360) for t in range(0, 1800, 10)]  # 10 MB per hour
    assert abs(slope(points) - 10.0) < 1e-6
    assert slope([(0.0, 5.0)]) == 0.0


def _sample(t: float, mb: float) -> Sample:
    kinds = {"workers": Usage(processes=2, rss_mb=mb, fds=20, threads=6)}
    return Sample(t_s=t, load=1.0, kinds=kinds, worker_pids=(1, 2))


def test_growth_is_judged_after_the_warm_up_and_per_process() -> None:
    # Warm-up: 100 MB to 200 MB in the first minutes, then flat: not growing.
    warm = tuple(_sample(t, 200.0 if t >= 300 else 100.0 + t / 3) for t in range(0, 1801, 10))
    assert not trend("workers", warm).growing
    # Two processes together growing a little under twice the limit per hour: not flagged;
    # at three times the limit, flagged.
    mild = tuple(_sample(t, 200 + 1.9 * GROWTH_MB_PER_H * t / 3600) for t in range(0, 1801, 10))
    steep = tuple(_sample(t, 200 + 3 * GROWTH_MB_PER_H * t / 3600) for t in range(0, 1801, 10))
    assert not trend("workers", mild).growing
    assert trend("workers", steep).growing


def test_descendants_follow_parents() -> None:
    table = {
        pid: Proc(pid, ppid, 0, "x")
        for pid, ppid in {1: 0, 10: 1, 11: 10, 12: 11, 20: 1, 13: 10}.items()
    }
    assert sorted(p.pid for p in descendants(table, 10)) == [10, 11, 12, 13]
    assert descendants(table, 99) == []


def test_metric_sums_the_samples_whose_labels_match() -> None:
    samples = {
        'crucible_http_errors_total{code="queue_full"}': 7.0,
        'crucible_http_errors_total{code="not_found"}': 2.0,
        'crucible_submissions_total{outcome="enqueued",route="batch"}': 5.0,
        'crucible_submissions_total{outcome="enqueued",route="submission"}': 1.0,
    }
    assert metric(samples, "crucible_http_errors_total", code="queue_full") == 7.0
    assert metric(samples, "crucible_http_errors_total") == 9.0
    assert metric(samples, "crucible_submissions_total", outcome="enqueued") == 6.0


async def _answer(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/busy"):
        return httpx.Response(503, json={"error": {"code": "redis_unavailable"}})
    return httpx.Response(429 if request.method == "POST" else 200, headers={"Retry-After": "5"})


def test_the_counting_transport_counts_refusals_per_batch_and_groups_faults() -> None:
    counting = CountingTransport(max_connections=4, inner=httpx.MockTransport(_answer))

    async def traffic() -> None:
        async with httpx.AsyncClient(transport=counting, base_url="http://gw") as http:
            for body in (b"one", b"one", b"two"):
                await http.post("/v1/batches", content=body)
            for sha in ("ab" * 32, "cd" * 32):
                await http.head(f"/v1/testsets/{sha}")
                await http.get(f"/v1/testsets/{sha}/busy")

    asyncio.run(traffic())
    assert counting.statuses == {429: 3, 200: 2, 503: 2}
    assert sorted(counting.refused.values()) == [1, 2] and counting.retry_after == 5.0
    assert fault_lines(counting.faults) == [
        '2 x `GET /v1/testsets/{id}/busy 503 {"error":{"code":"redis_unavailable"}}`'
    ]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 51.0 and percentile(values, 99) == 99.0
    assert percentile([], 50) == 0.0


def test_sections_go_into_a_report_of_their_own(tmp_path: Path) -> None:
    report = write_section(tmp_path, "## Load\n\nfirst\n", heading="## Load")
    write_section(tmp_path, "## Soak\n\nsoaked\n", heading="## Soak")
    write_section(tmp_path, "## Load\n\nsecond\n", heading="## Load")
    text = report.read_text()
    assert text.startswith("# Reliability")
    assert text.count("## Load") == 1 and "second" in text and "first" not in text
    assert "soaked" in text
