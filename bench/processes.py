"""Judges in worker processes, as a deployment runs them: each process has a judge of its own
(its own warm jails and language probes), so no two grade under one interpreter lock.

`crucible bench languages` grades its throughput workloads through these, so that the jail's
side of the comparison is what `crucible worker --processes N` would do on this machine,
not threads sharing one judge.  Each process is fed by one pipe, one submission in and its
outcome out, as a worker process takes one job at a time from its queue: a pool's
dispatch threads (pickling on a feeder thread, results through a management thread) would
add a few hand-offs between threads of the benchmark per submission to the jail's side.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import traceback
from multiprocessing import get_context
from multiprocessing.connection import Connection

from bench.data import Item, adder_submission
from bench.judge import Outcome, grade_one
from crucible.schema import Language
from workers.judge.grade import Judge

READY = "ready"
STOP_S = 30.0


def _serve(pipe: Connection, languages: tuple[Language, ...]) -> None:
    """One worker process: its judge, each language's probe passed and a jail started
    before anything is timed; then one item after another until the pipe says stop."""
    judge = Judge()
    atexit.register(judge.close)
    for language in languages:
        grade_one(judge, Item(f"warm-up {language.value}", adder_submission(language, 1)))
    pipe.send(READY)
    while True:
        try:
            item = pipe.recv()
        except EOFError:  # the benchmark ended without `close`
            return
        if item is None:
            return
        try:
            pipe.send((True, grade_one(judge, item)))
        except Exception:  # said to the caller, which fails the benchmark
            pipe.send((False, traceback.format_exc()))


class JudgeProcesses:
    """`workers` processes, each with its own judge; `grade` blocks the calling thread until
    an idle one of them has graded the item."""

    def __init__(self, workers: int, languages: tuple[Language, ...]) -> None:
        context = get_context("spawn")
        self._idle: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        self._processes = []
        for _ in range(workers):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, languages), daemon=True)
            process.start()
            theirs.close()
            self._processes.append((process, mine))
        # Every process started and warm before the first timed item.
        for process, pipe in self._processes:
            try:
                said = pipe.recv()
            except EOFError:
                said = f"exit {process.exitcode}"
            if said != READY:
                self.close()
                raise RuntimeError(f"a judge process did not start: {said}")
            self._idle.put(pipe)

    def grade(self, item: Item) -> Outcome:
        pipe = self._idle.get()
        try:
            pipe.send(item)
            ok, said = pipe.recv()
        finally:
            self._idle.put(pipe)
        if not ok or not isinstance(said, Outcome):
            raise RuntimeError(f"a judge process failed on {item.name}:\n{said}")
        return said

    def close(self) -> None:
        for _, pipe in self._processes:
            with contextlib.suppress(OSError):  # already gone
                pipe.send(None)
        for process, pipe in self._processes:
            process.join(STOP_S)
            if process.is_alive():
                process.kill()
                process.join()
            pipe.close()
