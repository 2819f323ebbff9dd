"""The program's folder: placing and fetching /run_code files through descriptors, here in a
temporary folder (the jail runs the same code in its /tmp), and the worker's bounded reading
of what the harness says it fetched."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workers.judge.errors import JailFailed
from workers.judge.inside import folder
from workers.judge.runfiles import read_fetched
from workers.judge.testfiles import sealed_memfd


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "secret.txt").write_text("outside the folder")
    monkeypatch.chdir(work)
    yield work


def place(files: dict[str, bytes]) -> dict[str, Any]:
    listed = json.dumps([[path, len(data)] for path, data in files.items()])
    manifest = sealed_memfd("manifest", listed.encode())
    contents = sealed_memfd("contents", b"".join(files.values()))
    try:
        return folder.place([manifest, contents])
    finally:
        os.close(manifest)
        os.close(contents)


def fetch(paths: list[str], limit: int = 1 << 20) -> tuple[dict[str, bytes], list[str]]:
    manifest = sealed_memfd("manifest", json.dumps(paths).encode())
    out = os.memfd_create("out")
    try:
        record = folder.fetch([manifest, out], limit)
        fetched = read_fetched(record, out, paths, limit)
    finally:
        os.close(manifest)
        os.close(out)
    files = {path: base64.b64decode(data) for path, data in fetched.files.items()}
    return files, fetched.left_out


def test_placed_files_land_in_the_working_folder_with_their_folders(here: Path) -> None:
    assert place({"data.txt": b"1 2\n", "deep/er/x.bin": b"\0\xff", "empty": b""}) == {
        "event": "placed"
    }
    assert (here / "data.txt").read_bytes() == b"1 2\n"
    assert (here / "deep" / "er" / "x.bin").read_bytes() == b"\0\xff"
    assert (here / "empty").read_bytes() == b""
    assert fetch(["data.txt", "deep/er/x.bin", "empty"])[0] == {
        "data.txt": b"1 2\n",
        "deep/er/x.bin": b"\0\xff",
        "empty": b"",
    }


def test_placing_never_writes_through_a_link(here: Path, tmp_path: Path) -> None:
    (here / "out").symlink_to(tmp_path)
    (here / "file").symlink_to(tmp_path / "secret.txt")
    assert "error" in place({"out/planted.txt": b"x"})
    assert "error" in place({"file": b"overwritten"})
    assert not (tmp_path / "planted.txt").exists()
    assert (tmp_path / "secret.txt").read_text() == "outside the folder"


def test_fetching_reads_only_regular_files_inside_the_folder(here: Path, tmp_path: Path) -> None:
    (here / "ok.txt").write_text("answer")
    (here / "link.txt").symlink_to(tmp_path / "secret.txt")
    (here / "up").symlink_to(tmp_path)
    (here / "sub").mkdir()
    (here / "sub" / "deeper").symlink_to(tmp_path)
    os.mkfifo(here / "fifo")  # opening it for reading without O_NONBLOCK would hang
    paths = [
        "ok.txt", "link.txt", "up/secret.txt", "sub/deeper/secret.txt", "sub", "fifo",
        "missing", "../secret.txt",
    ]  # fmt: skip
    files, left_out = fetch(paths)
    assert files == {"ok.txt": b"answer"} and left_out == []


def test_files_over_the_limit_are_left_out_and_smaller_ones_still_fit(here: Path) -> None:
    (here / "a").write_bytes(b"a" * 60)
    (here / "big").write_bytes(b"b" * 50)
    (here / "c").write_bytes(b"c" * 40)
    files, left_out = fetch(["a", "big", "c"], limit=100)
    assert files == {"a": b"a" * 60, "c": b"c" * 40}
    assert left_out == ["big"]
    files, left_out = fetch(["a"], limit=60)
    assert files == {"a": b"a" * 60} and left_out == []


def test_the_worker_bounds_what_the_harness_says_it_fetched() -> None:
    out = os.memfd_create("out")
    try:
        os.write(out, b"x" * 10)
        paths = ["a", "b"]
        record = {"event": "fetched", "files": [[1, 2, 3]], "left_out": [0]}
        ok = read_fetched(record, out, paths, 10)
        assert ok.files == {"b": base64.b64encode(b"xxx").decode()} and ok.left_out == ["a"]
        for bad in (
            {"event": "placed"},
            {"event": "fetched", "files": [[0, 0, 11]], "left_out": []},  # over the limit
            {"event": "fetched", "files": [[0, 0, 6], [1, 0, 6]], "left_out": []},  # together
            {"event": "fetched", "files": [[2, 0, 1]], "left_out": []},  # no such path
            {"event": "fetched", "files": [[0, -1, 1]], "left_out": []},
            {"event": "fetched", "files": [[0, 8, 5]], "left_out": []},  # past the memfd's end
            {"event": "fetched", "files": [], "left_out": [5]},
            {"event": "fetched", "files": [["0", 0, 1]], "left_out": []},
        ):
            with pytest.raises(JailFailed):
                read_fetched(bad, out, paths, 10)
    finally:
        os.close(out)
