"""A cached artifact reaches a jail's /code by a hard link when the cache's file can serve
(read-only, mode 0555), and by writing its bytes otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from workers.judge.jail import _linked


def test_a_kept_artifact_is_linked_not_copied(tmp_path: Path) -> None:
    kept = tmp_path / "cache-entry"
    kept.write_bytes(b"\x7fELF...")
    kept.chmod(0o555)
    staged = tmp_path / "code" / ".main"
    staged.parent.mkdir()
    staged.write_bytes(b"an earlier program")  # replaced, never written into
    assert _linked(kept, staged)
    assert os.path.samefile(kept, staged) and staged.read_bytes() == b"\x7fELF..."


def test_a_file_not_read_only_or_gone_is_not_linked(tmp_path: Path) -> None:
    staged = tmp_path / ".main"
    writable = tmp_path / "old-entry"
    writable.write_bytes(b"kept before entries were read-only")
    writable.chmod(0o644)
    assert not _linked(writable, staged) and not staged.exists()
    assert not _linked(tmp_path / "forgotten", staged)
    assert not _linked(None, staged)
