"""Go's prepared standard library (`workers/judge/gostd.py`) without Go: the folder's name
follows the Go build installed, and a worker without Go gets a fault of ours, not a build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.judge import gostd
from workers.judge.errors import SandboxUnavailable
from workers.judge.settings import JudgeSettings


@pytest.fixture
def fake_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Go root laid out as Debian's: bin/go, pkg/tool/linux_amd64/{compile,link}, VERSION."""
    root = tmp_path / "go-1.99"
    tools = root / "pkg" / "tool" / "linux_amd64"
    tools.mkdir(parents=True)
    (root / "bin").mkdir()
    for path in (root / "bin" / "go", tools / "compile", tools / "link"):
        path.write_bytes(b"\x7fELF")
    (root / "VERSION").write_text("go1.99.1\ntime 2030-01-01T00:00:00Z\n")
    monkeypatch.setattr(gostd, "GO_TOOLS", tools)
    monkeypatch.setitem(gostd.REAL_PATHS, "go", str(root / "bin" / "go"))
    monkeypatch.setitem(gostd.REAL_PATHS, "gocompile", str(tools / "compile"))
    monkeypatch.setitem(gostd.REAL_PATHS, "golink", str(tools / "link"))
    return root


def test_the_folder_is_named_after_the_go_build(fake_go: Path) -> None:
    first = gostd.go_build()
    assert first.startswith("go1.99.1-") and first == gostd.go_build()
    compile_tool = fake_go / "pkg" / "tool" / "linux_amd64" / "compile"
    os.utime(compile_tool, ns=(1, 1))  # the same Go, reinstalled or upgraded in place
    assert gostd.go_build() != first
    (fake_go / "VERSION").write_text("not a version\n")
    assert gostd.go_build().startswith("go-")


def test_the_folder_lives_under_the_work_dir_unless_placed(tmp_path: Path) -> None:
    assert gostd.std_root(JudgeSettings(work_dir=tmp_path)) == tmp_path / "go"
    placed = JudgeSettings(work_dir=tmp_path, go_std_dir=tmp_path / "std")
    assert gostd.std_root(placed) == tmp_path / "std"


def test_without_go_the_folder_is_our_fault(tmp_path: Path, fake_go: Path) -> None:
    (fake_go / "bin" / "go").unlink()
    settings = JudgeSettings(work_dir=tmp_path / "work")
    with pytest.raises(SandboxUnavailable, match="Go is not installed"):
        gostd.go_std(settings)
    gostd.prepare_at_start(settings)  # a worker still starts
    assert not (tmp_path / "work").exists()


def test_a_made_folder_is_used_as_it_is(tmp_path: Path, fake_go: Path) -> None:
    settings = JudgeSettings(work_dir=tmp_path / "work")
    folder = gostd.std_root(settings) / gostd.go_build()
    folder.mkdir(parents=True)
    (folder / "importcfg").write_text("packagefile runtime=/gostd/pkg/runtime.a\n")
    assert gostd.go_std(settings) == folder  # the fake `go` would fail had it run
    assert not (folder.parent / ".lock").exists()
