"""docs/benchmarks.md in parts: sections replaced in place, other runs' sections kept."""

from __future__ import annotations

from pathlib import Path

from bench.doc import CLIENT_SECTION, SERVICE_SECTION, carry_sections, splice_section

RENDERED = "# Benchmarks\n\n## Results per dataset\n\nnew\n\n## How to rerun\n\nmake bench\n"


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_a_section_is_replaced_in_place_before_the_rerun_section(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text(RENDERED)
    splice_section(report, SERVICE_SECTION, f"{SERVICE_SECTION}\n\nfirst\n")
    splice_section(report, SERVICE_SECTION, f"{SERVICE_SECTION}\n\nsecond\n")
    text = report.read_text()
    assert headings(text) == ["## Results per dataset", SERVICE_SECTION, "## How to rerun"]
    assert "second" in text and "first" not in text


def test_a_missing_report_is_started(tmp_path: Path) -> None:
    report = splice_section(
        tmp_path / "docs" / "benchmarks.md", CLIENT_SECTION, f"{CLIENT_SECTION}\n\nx\n"
    )
    assert report.read_text().startswith("# Benchmarks\n\n## Client")


def test_a_rewrite_keeps_the_client_and_service_sections_only() -> None:
    old = (
        "# Benchmarks\n\n## Results per dataset\n\nold\n\n## Scaling\n\nstale\n\n"
        f"{CLIENT_SECTION}\n\nclient numbers\n\n{SERVICE_SECTION}\n\nservice numbers\n\n"
        "## How to rerun\n\nmake bench\n"
    )
    text = carry_sections(old, RENDERED)
    assert headings(text) == [
        "## Results per dataset",
        CLIENT_SECTION,
        SERVICE_SECTION,
        "## How to rerun",
    ]
    assert "client numbers" in text and "service numbers" in text
    assert "stale" not in text and "old" not in text
