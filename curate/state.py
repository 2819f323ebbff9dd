"""The resumable state of a curation run: one JSON line per decided problem and per graded
batch, appended and flushed as each batch finishes, so a run stopped at any point continues
from the last batch it finished.  The first line names the settings the decisions were made
under; a run with other settings refuses the file rather than mix the two."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from curate.rules import Decision


class StateMismatch(ValueError):
    """The state file was written under other settings (or for another input)."""


@dataclass(frozen=True, slots=True)
class Batch:
    problems: int
    submissions: int
    tests_run: int
    wall_s: float


class State:
    def __init__(self, path: Path, settings: dict[str, Any]) -> None:
        self.path = path
        self.decisions: dict[str, dict[str, Any]] = {}
        self.batches: list[Batch] = []
        self._settings = settings
        self._file: IO[str] | None = None
        if path.exists():
            self._load()

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                if not line.endswith("\n"):
                    break  # the write a kill cut short
                record = json.loads(line)
                if number == 0:
                    if record.get("settings") != self._settings:
                        raise StateMismatch(
                            f"{self.path} was written under other settings"
                            f" ({record.get('settings')}); use --fresh to start over"
                        )
                elif "batch" in record:
                    self.batches.append(Batch(**record["batch"]))
                else:
                    self.decisions[record["key"]] = record

    def done(self, key: str, retried: frozenset[str]) -> dict[str, Any] | None:
        """The stored decision for `key`, unless there is none or it must be made again."""
        record = self.decisions.get(key)
        if record is None or set(record["reasons"]) & retried:
            return None
        return record

    def record(self, entries: list[tuple[str, Decision]], batch: Batch) -> None:
        out = self._open()
        for key, decision in entries:
            record = {"key": key, **asdict(decision)}
            self.decisions[key] = record
            out.write(json.dumps(record) + "\n")
        self.batches.append(batch)
        out.write(json.dumps({"batch": asdict(batch)}) + "\n")
        out.flush()
        os.fsync(out.fileno())

    def _open(self) -> IO[str]:
        if self._file is None:
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            self._truncate_partial()
            self._file = self.path.open("a", encoding="utf-8")
            if fresh:
                self._file.write(json.dumps({"settings": self._settings}) + "\n")
        return self._file

    def _truncate_partial(self) -> None:
        """Drop a last line a kill left without its newline."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            self.path.write_bytes(data[: data.rfind(b"\n") + 1])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def decision_of(record: dict[str, Any]) -> Decision:
    fields = {k: v for k, v in record.items() if k != "key"}
    return Decision(**fields)
