"""A /run_code program's files: placed in its folder before it runs, fetched after it ran.

The folder is the jail's /tmp, the program's working directory, which this side never
opens: the jail's own submission process does the work (`workers/judge/inside/folder.py`), on
descriptors made here, walking each path without following a link.  Names and contents go
in sealed memfds; fetched contents come back in a memfd that is read here with bounds:
never more than the limit the harness was given, whatever its record says.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workers.judge.errors import JailFailed
from workers.judge.inside import protocol
from workers.judge.inside.protocol import Record
from workers.judge.jail import Jail
from workers.judge.testfiles import sealed_memfd


@dataclass(slots=True)
class Fetched:
    """Fetched regular files (path -> base64) and those left out for the cap."""

    files: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def place_files(jail: Jail, files: Mapping[str, bytes], *, timeout: float) -> None:
    """Make `files` (normal relative paths) in the program's folder; JailFailed when the
    harness could not (the gateway bounds them well within the folder's space)."""
    manifest = json.dumps([[path, len(data)] for path, data in files.items()])
    fds = _sealed(manifest, b"".join(files.values()))
    try:
        record = jail.request({"op": protocol.PLACE}, timeout=timeout, fds=fds)
    finally:
        _close(fds)
    if record["event"] != protocol.PLACED or "error" in record:
        raise JailFailed(f"the program's files could not be placed: {str(record)[:300]}")


def fetch_files(jail: Jail, paths: Sequence[str], *, limit: int, timeout: float) -> Fetched:
    """Read back the regular files among `paths`, at most `limit` bytes in all."""
    fds = _sealed(json.dumps(list(paths)))
    try:
        fds.append(os.memfd_create("fetched", os.MFD_CLOEXEC))
        record = jail.request({"op": protocol.FETCH, "limit": limit}, timeout=timeout, fds=fds)
        return read_fetched(record, fds[1], paths, limit)
    finally:
        _close(fds)


def read_fetched(record: Record, out: int, paths: Sequence[str], limit: int) -> Fetched:
    copied, left_out = record.get("files"), record.get("left_out")
    if record["event"] != protocol.FETCHED or not isinstance(copied, list):
        raise JailFailed(f"the program's files could not be fetched: {str(record)[:300]}")
    fetched = Fetched(left_out=[paths[i] for i in _indexes(left_out, len(paths))])
    budget = limit
    for entry in copied:
        match entry:
            case [int(index), int(offset), int(size)] if (
                0 <= index < len(paths) and offset >= 0 and 0 <= size <= budget
            ):
                data = os.pread(out, size, offset)
                if len(data) != size:
                    raise JailFailed(f"fetched file {index} is shorter than its record")
                fetched.files[paths[index]] = base64.b64encode(data).decode()
                budget -= size
            case _:
                raise JailFailed(f"a malformed fetch record: {str(entry)[:100]}")
    return fetched


def _indexes(value: object, count: int) -> list[int]:
    if isinstance(value, list) and all(type(i) is int and 0 <= i < count for i in value):
        return value
    raise JailFailed(f"a malformed fetch record: {str(value)[:100]}")


def _sealed(manifest: str, *more: bytes) -> list[int]:
    fds: list[int] = []
    try:
        for name, data in zip(("manifest", "contents"), (manifest.encode(), *more), strict=False):
            fds.append(sealed_memfd(name, data))
    except BaseException:
        _close(fds)
        raise
    return fds


def _close(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
