"""Go's standard library compiled once for the compile jail (`workers/judge/gostd.py`), with
the worker's real Go: a folder of read-only archives and an importcfg naming them where the
jail binds it, made once however many threads ask at the same time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from workers.judge import gostd
from workers.judge.languages import GO_STD
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration


def test_the_standard_library_is_made_once_read_only(tmp_path: Path) -> None:
    settings = JudgeSettings(work_dir=tmp_path / "work", go_std_dir=tmp_path / "std")
    with ThreadPoolExecutor(max_workers=3) as pool:
        folders = list(pool.map(lambda _: gostd.go_std(settings), range(3)))
    assert folders == [tmp_path / "std" / gostd.go_build()] * 3
    folder = folders[0]
    lines = (folder / "importcfg").read_text().splitlines()
    files = dict(line.removeprefix("packagefile ").split("=", 1) for line in lines)
    assert {"runtime", "fmt", "bufio", "sort", "math/big", "container/heap"} <= set(files)
    for package, archive in files.items():
        assert archive == f"{GO_STD}/pkg/{package}.a"
        assert (folder / "pkg" / f"{package}.a").stat().st_mode & 0o222 == 0
    assert "runtime/cgo" not in files  # CGO off
    # Only the finished folder and the lock remain: no staging folder, no build cache.
    assert sorted(p.name for p in (tmp_path / "std").iterdir()) == [".lock", folder.name]
    assert not (tmp_path / "work").exists()
