"""One worker process: compile Go's standard library if this machine has not (`gostd.py`),
self-test the sandbox, then take jobs from the queue until stopped.

Started by the supervisor (`crucible worker`), one per core; run alone with
`python -m workers.queue.process [--redis-url URL]`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Sequence

from workers import tasks
from workers.judge.errors import StoreUnavailable
from workers.judge.gostd import prepare_at_start
from workers.judge.grade import Judge
from workers.judge.selftest import sandbox_fault
from workers.queue.heartbeat import Heartbeat
from workers.queue.runner import JobRunner
from workers.queue.settings import WorkerSettings, worker_settings
from workers.queue.store import WorkerStore, connect
from workers.queue.worker import run_worker

log = logging.getLogger("workers.queue.process")
EXIT_OK, EXIT_STOPPED_EARLY, EXIT_SANDBOX = 0, 1, 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers.queue.process")
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--parent-pid", type=int, default=None, help="stop when it is gone")
    args = parser.parse_args(argv)
    overrides = {"redis_url": args.redis_url} if args.redis_url else {}
    settings = worker_settings(**overrides)
    configure_logging(settings.log_level)
    return work(settings, parent_pid=args.parent_pid)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        force=True,
        level=level,
        format=f"%(asctime)s {os.getpid()} %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("rq").setLevel(logging.WARNING)


def work(settings: WorkerSettings, *, parent_pid: int | None = None) -> int:
    judge = Judge()
    try:
        prepare_at_start(judge.settings)  # Go's standard library, so no Go job waits for it
        fault = sandbox_fault(judge)
        if fault is not None:
            log.error("sandbox self-test failed, not taking jobs: %s", fault)
            return EXIT_SANDBOX
        return _take_jobs(judge, settings, parent_pid=parent_pid)
    finally:
        judge.close()


def _take_jobs(judge: Judge, settings: WorkerSettings, *, parent_pid: int | None) -> int:
    worker_id = f"{socket.gethostname()}:{os.getpid()}"
    store = WorkerStore(connect(settings), settings)
    rq_connection = connect(settings, socket_timeout=None)
    runner = JobRunner(judge, store, settings, worker_id=worker_id)
    tasks.install(runner)
    beat = Heartbeat(
        store=store, rq_connection=rq_connection, runner=runner, settings=settings,
        parent_pid=parent_pid,
    )  # fmt: skip
    beat.start()
    log.info("worker %s ready", worker_id)
    try:
        run_worker(rq_connection, name=worker_id.replace(":", "."))
    except StoreUnavailable as exc:
        log.error("worker %s stops: %s", worker_id, exc)
        return EXIT_STOPPED_EARLY
    finally:
        beat.stop()
    with contextlib.suppress(StoreUnavailable):
        store.mark_gone(worker_id)
    log.info("worker %s stopped", worker_id)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
