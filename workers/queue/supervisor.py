"""`crucible worker`: N worker processes (one per core by default), kept alive, stopped cleanly.

The supervisor self-tests the sandbox once (refusing to start when it fails), starts each
worker as `python -m workers.queue.process` in a session of its own (a terminal's Ctrl-C reaches
only the supervisor, which then stops them in order), restarts a worker that dies (with
backoff when it dies young), and serves the workers' summed Prometheus metrics.  On
SIGINT/SIGTERM it asks every worker to finish its job, waits `shutdown_grace_s`, then kills.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from workers.judge.grade import Judge
from workers.judge.jail import inherited_last_pid_fd
from workers.judge.selftest import sandbox_fault
from workers.queue import metrics
from workers.queue.settings import WorkerSettings, child_environment

log = logging.getLogger(__name__)
EXIT_OK, EXIT_SANDBOX = 0, 3
POLL_S = 0.5
YOUNG_S = 10.0
MAX_BACKOFF_S = 30.0


@dataclass
class Slot:
    """One worker process and when to start it again."""

    index: int
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff_s: float = 1.0
    start_at: float = field(default=0.0)


class Supervisor:
    def __init__(self, settings: WorkerSettings, *, redis_url: str | None = None) -> None:
        self.settings = settings
        self.redis_url = redis_url
        self.slots = [Slot(i) for i in range(settings.worker_processes)]
        self.stopping = threading.Event()
        self.metrics_dir = Path(tempfile.mkdtemp(prefix="crucible-worker-metrics-"))

    def run(self) -> int:
        try:
            judge = Judge()
            try:
                fault = sandbox_fault(judge)
            finally:
                judge.close()  # its warm jails belong in the workers, not here
            if fault is not None:
                log.error("sandbox self-test failed; no worker started: %s", fault)
                return EXIT_SANDBOX
            if self.settings.metrics_port:
                metrics.serve(self.settings.metrics_port, self.metrics_dir)
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._on_signal)
            log.info("starting %d worker process(es)", len(self.slots))
            while not self.stopping.is_set():
                self._tend()
                self.stopping.wait(POLL_S)
            self._stop_all()
            return EXIT_OK
        finally:
            shutil.rmtree(self.metrics_dir, ignore_errors=True)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping.is_set():  # a second Ctrl-C: no more grace
            for slot in self.slots:
                if slot.proc is not None and slot.proc.poll() is None:
                    slot.proc.kill()
        self.stopping.set()

    def _tend(self) -> None:
        now = time.monotonic()
        for slot in self.slots:
            if slot.proc is not None and slot.proc.poll() is not None:
                code = slot.proc.returncode
                lived = now - slot.started
                slot.backoff_s = min(2 * slot.backoff_s, MAX_BACKOFF_S) if lived < YOUNG_S else 1.0
                slot.start_at = now + slot.backoff_s
                log.warning(
                    "worker %d (pid %d) exited %s after %.0f s; restarting in %.0f s",
                    slot.index, slot.proc.pid, code, lived, slot.backoff_s,
                )  # fmt: skip
                metrics.forget_process(slot.proc.pid, self.metrics_dir)
                slot.proc = None
            if slot.proc is None and now >= slot.start_at:
                slot.proc = self._spawn()
                slot.started = now

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "workers.queue.process", "--parent-pid", str(os.getpid())]
        if self.redis_url:
            command += ["--redis-url", self.redis_url]
        env = child_environment(PROMETHEUS_MULTIPROC_DIR=str(self.metrics_dir))
        # The entrypoint's descriptor for the jails' keepers, where it opened one.
        given = inherited_last_pid_fd()
        return subprocess.Popen(
            command,
            env=env,
            start_new_session=True,
            pass_fds=() if given is None else (given,),
        )

    def _stop_all(self) -> None:
        running = [s.proc for s in self.slots if s.proc is not None and s.proc.poll() is None]
        log.info("stopping %d worker process(es)", len(running))
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.settings.shutdown_grace_s
        for proc in running:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker pid %d did not stop in time; killing it", proc.pid)
                proc.kill()
                proc.wait(timeout=10)


def supervise(settings: WorkerSettings, *, redis_url: str | None = None) -> int:
    return Supervisor(settings, redis_url=redis_url).run()
