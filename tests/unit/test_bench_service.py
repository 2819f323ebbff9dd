"""The service benchmark's report: its section replaces an older one and keeps the rest."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from bench.service import (
    SECTION,
    Latencies,
    ServiceBench,
    percentile,
    render_service_section,
    server_time_ms,
    write_service_section,
)

BENCH = ServiceBench(
    workers=2,
    submissions=100,
    tests_per_submission=10,
    direct_wall_s=5.0,
    service_wall_s=5.4,
    plus_one_wall_s=5.1,
    latencies=Latencies(
        overhead=(3.0, 4.0, 9.0),
        end_to_end=(20.0, 21.0, 30.0),
        intake=(4.0,),
        delivery=(2.5,),
        intake_server=(2.0,),
        delivery_server=(1.0,),
    ),
    errors=0,
)


def test_the_section_states_targets_from_the_numbers() -> None:
    text = render_service_section(BENCH)
    assert text.startswith(SECTION)
    assert "0.93x, met" in text
    assert "3.0 ms (its own time to accept + answer; 6.5 ms as the client times them), met" in text
    assert "| the gateway's own time: accept a submission (POST, 202) | 2.0 | 2.0 |" in text
    assert "| through HTTP, 3 worker processes | 5.10 | 19.6 | 196 |" in text


def test_the_section_is_replaced_in_place(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text(
        f"# Benchmarks\n\n## Results\n\nrows\n\n{SECTION}\n\nold\n\n## How to rerun\n\nmake\n"
    )
    write_service_section(BENCH, tmp_path)
    text = report.read_text()
    assert text.count(SECTION) == 1 and "old" not in text
    assert text.index("## Results") < text.index(SECTION) < text.index("## How to rerun")
    assert json.loads((tmp_path / "bench-service.json").read_text())["submissions"] == 100


def test_the_gateway_time_comes_from_its_server_timing_header() -> None:
    reply = httpx.Response(200, headers={"server-timing": "app;dur=1.250"})
    assert server_time_ms(reply) == 1.25
    with pytest.raises(ValueError, match="no gateway timing"):
        server_time_ms(httpx.Response(200))


def test_percentiles() -> None:
    assert percentile((1.0, 2.0, 3.0, 4.0), 99) == 4.0
    assert percentile((), 50) == 0.0
