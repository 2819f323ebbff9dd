"""docs/settings.md is what the settings classes say (server/settings_doc.py)."""

from __future__ import annotations

from server.settings_doc import DOC, render


def test_the_committed_settings_page_is_what_the_classes_say() -> None:
    assert DOC.read_text() == render(), "stale: run `python -m server.settings_doc`"


def test_every_variable_is_listed_once_per_reader() -> None:
    page = render()
    for variable in ("CRUCIBLE_REDIS_URL", "CRUCIBLE_RESULT_TTL_S", "CRUCIBLE_QUEUE_GRACE_S"):
        assert page.count(f"| `{variable}` |") == 1  # shared: declared once, listed once
    for variable in ("CRUCIBLE_API_TOKENS", "CRUCIBLE_LEASE_TTL_S", "CRUCIBLE_NSJAIL_PATH"):
        assert f"| `{variable}` |" in page
    assert "| `CRUCIBLE_URL` | `http://127.0.0.1:8000` |" in page
