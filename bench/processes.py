"""Judges in worker processes, as a deployment runs them: each process has a judge of its own
(its own warm jails and language probes), so no two grade under one interpreter lock.

`crucible bench languages` grades its throughput workloads through these, so that the jail's
side of the comparison is what `crucible worker --processes N` would do on this machine,
not threads sharing one judge.
"""

from __future__ import annotations

import atexit
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

from bench.data import Item, adder_submission
from bench.judge import Outcome, grade_one
from crucible.schema import Language
from workers.judge.grade import Judge

_judge: Judge | None = None


def _start(languages: tuple[Language, ...]) -> None:
    """In each worker process: its judge, each language's probe passed and a jail started,
    before anything is timed."""
    global _judge  # noqa: PLW0603 - one judge per process, as a worker holds
    _judge = Judge()
    atexit.register(_judge.close)
    for language in languages:
        grade_one(_judge, Item(f"warm-up {language.value}", adder_submission(language, 1)))


def _grade(item: Item) -> Outcome:
    assert _judge is not None, "a worker process without its judge"
    return grade_one(_judge, item)


class JudgeProcesses:
    """`workers` processes, each with its own judge; `grade` blocks the calling thread until
    one of them has graded the item."""

    def __init__(self, workers: int, languages: tuple[Language, ...]) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=_start,
            initargs=(languages,),
        )
        # Every process started and warm before the first timed item.
        ready: list[Future[None]] = [self._pool.submit(_noop) for _ in range(workers)]
        for future in ready:
            future.result()

    def grade(self, item: Item) -> Outcome:
        return self._pool.submit(_grade, item).result()

    def close(self) -> None:
        self._pool.shutdown()


def _noop() -> None:
    return None
