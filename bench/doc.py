"""docs/benchmarks.md is written in parts: each benchmark owns its `## ` sections.

The judge benchmark renders the document; the service, client and languages benchmarks and
the bare parity check each replace their own section in place, and a rewrite of the document
keeps those four sections.
"""

from __future__ import annotations

from pathlib import Path

RERUN = "## How to rerun"
EMPTY = "# Benchmarks\n"
CLIENT_SECTION = "## Client: grade_many end to end"
SERVICE_SECTION = "## Through the service"
PARITY_SECTION = "## Bare parity (invariant 6)"
LANGUAGES_SECTION = "## C and C++ against bare"
CLIENT_CPP_SECTION = "## Client: a C++ step end to end"
CARRIED = (
    CLIENT_SECTION,
    CLIENT_CPP_SECTION,
    SERVICE_SECTION,
    PARITY_SECTION,
    LANGUAGES_SECTION,
)


def splice_section(report: Path, heading: str, text: str) -> Path:
    """Put `text` (starting with `heading`) into `report`, replacing an older one."""
    old = report.read_text() if report.is_file() else EMPTY
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(_insert(_without(old, heading), text))
    return report


def carry_sections(old: str, new: str) -> str:
    """`new`, plus the client, service, parity and languages sections `old` has."""
    for heading in CARRIED:
        section = _section(old, heading)
        if section and _bounds(new, heading) is None:
            new = _insert(new, section)
    return new


def _bounds(text: str, heading: str) -> tuple[int, int] | None:
    start = text.find(f"\n{heading}\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + 1)
    return start, end if end >= 0 else len(text)


def _section(text: str, heading: str) -> str:
    bounds = _bounds(text, heading)
    return "" if bounds is None else text[bounds[0] + 1 : bounds[1]]


def _without(text: str, heading: str) -> str:
    bounds = _bounds(text, heading)
    return text if bounds is None else text[: bounds[0]] + text[bounds[1] :]


def _insert(text: str, section: str) -> str:
    """`section` before the "How to rerun" section, or at the end."""
    section = section.rstrip() + "\n"
    anchor = text.find(f"\n{RERUN}")
    if anchor < 0:
        return f"{text.rstrip()}\n\n{section}"
    return f"{text[:anchor].rstrip()}\n\n{section}{text[anchor:]}"
