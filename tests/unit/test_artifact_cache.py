"""The compiler's artifact cache forgets its least recently used entries, and several threads
(or worker processes) forgetting in one folder at once do not trip over each other."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from workers.judge import compiler as compiler_module
from workers.judge.cgroups import CgroupPlan
from workers.judge.compiler import Compiler, forget_oldest
from workers.judge.settings import JudgeSettings


def test_the_least_recently_used_are_forgotten_and_staged_files_stay(tmp_path: Path) -> None:
    for age, name in enumerate(["newest", "newer", "old", "oldest"]):
        entry = tmp_path / name
        entry.write_bytes(b"artifact")
        os.utime(entry, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / ".staged.123").write_bytes(b"being written")
    forget_oldest(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".staged.123", "newer", "newest"]
    forget_oldest(tmp_path, keep=0)
    assert [p.name for p in tmp_path.iterdir()] == [".staged.123"]


def test_threads_forgetting_in_one_folder_at_once_do_not_fail(tmp_path: Path) -> None:
    """Before the fix one thread's `stat` met an entry another had just removed
    (FileNotFoundError out of `Compiler.build`, seen under `crucible bench languages`)."""
    errors: list[BaseException] = []

    def keep_writing(worker: int) -> None:
        try:
            for i in range(300):
                (tmp_path / f"{worker}-{i}").write_bytes(b"artifact")
                forget_oldest(tmp_path, keep=2)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=keep_writing, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(list(tmp_path.iterdir())) <= 2 + len(threads)


def test_a_folder_within_its_size_is_left_alone_and_one_over_it_cut_below(tmp_path: Path) -> None:
    for i in range(20):
        entry = tmp_path / f"a{i:02}"
        entry.write_bytes(b"artifact")
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    forget_oldest(tmp_path, keep=20)
    assert len(list(tmp_path.iterdir())) == 20  # not over: nothing read, nothing removed
    (tmp_path / "a20").write_bytes(b"artifact")
    forget_oldest(tmp_path, keep=20)
    # Over by one: cut to 18 (a tenth below), the most recently used kept.
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"a{i:02}" for i in range(3, 21)]


def test_a_cached_artifact_is_read_once_and_served_from_memory_while_the_cache_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiler = Compiler(JudgeSettings.model_validate({"work_dir": tmp_path}), cgroups=_no_cgroups)
    compiler.cache_dir.mkdir()
    entry = compiler.cache_dir / "key"
    entry.write_bytes(b"built once")
    assert compiler._cached("key") == b"built once"
    entry.write_bytes(b"not read again")  # (a cache entry never changes: this shows the read)
    assert compiler._cached("key") == b"built once"
    entry.unlink()  # forgotten by the cache (another process, say): forgotten here too
    assert compiler._cached("key") is None
    entry.write_bytes(b"built again")
    assert compiler._cached("key") == b"built again"
    # Within its bound, the least recently used first out.
    monkeypatch.setattr(compiler_module, "REMEMBERED_BYTES", 25)
    for name in ("a", "b", "c"):
        (compiler.cache_dir / name).write_bytes(name.encode() * 10)
        compiler._cached(name)
    assert list(compiler._remembered) == ["b", "c"] and compiler._remembered_bytes == 20


def _no_cgroups() -> CgroupPlan:
    raise AssertionError("no build here")
