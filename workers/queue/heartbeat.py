"""A worker process's background beat: liveness, the running job's lease, the reaper.

Runs in a daemon thread beside rq's SimpleWorker (which grades in the main thread, where
rq's job timeout signal works).  Redis errors are logged once per outage and never stop
the beat.  A worker whose supervisor died stops itself, so no orphan keeps taking jobs.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import redis

from workers.judge.errors import StoreUnavailable
from workers.queue.reaper import reap
from workers.queue.runner import JobRunner
from workers.queue.settings import WorkerSettings
from workers.queue.store import WorkerStore

log = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(
        self,
        *,
        store: WorkerStore,
        rq_connection: redis.Redis,
        runner: JobRunner,
        settings: WorkerSettings,
        parent_pid: int | None,
    ) -> None:
        super().__init__(name="crucible-heartbeat", daemon=True)
        self.store = store
        self.rq_connection = rq_connection
        self.runner = runner
        self.settings = settings
        self.parent_pid = parent_pid
        self._stopped = threading.Event()
        self._next_reap = 0.0
        self._outage = False

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)

    def run(self) -> None:
        period = min(self.settings.heartbeat_s, self.settings.reap_interval_s)
        while True:
            self.beat()
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                log.warning("supervisor is gone; stopping this worker")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            if self._stopped.wait(period):
                return

    def beat(self) -> None:
        try:
            self.store.mark_alive(self.runner.worker_id)
            current = self.runner.current
            if current is not None and not self.store.renew(*current):
                log.warning("lost the lease on job %s; it may run elsewhere", current[0][:12])
            if time.monotonic() >= self._next_reap:
                self._next_reap = time.monotonic() + self.settings.reap_interval_s
                if self.store.try_reaper_lock(self.runner.worker_id, self.settings.reap_interval_s):
                    reap(self.store, self.rq_connection, self.settings)
        except StoreUnavailable as exc:
            if not self._outage:
                log.warning("redis unavailable: %s", exc)
            self._outage = True
            return
        except Exception:  # the beat must go on; a bug here is logged, not fatal
            log.exception("heartbeat failed")
            return
        if self._outage:
            log.warning("redis is back")
        self._outage = False
