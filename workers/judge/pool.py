"""Warm jails: a started jail takes the next submission with the same limits.

Starting nsjail and an interpreter costs tens of milliseconds, more than grading a
single-test program, so a jail that ended its submission cleanly (no process left, scratch
space empty: the harness checks) goes back here.  The memory and pids limits are fixed when a
jail starts, so jails are kept per (memory_mb, pids).  A jail is retired after
`jail_max_uses` submissions or `jail_max_age_s`, and after any fault or unclean end.

A jail's end and its reset for the next submission (`Jail.end`: the harness's end, the
keeper's fresh scratch mounts) run on a thread of the pool's, after the submission's result
is back with its caller: they are a few milliseconds each submission, on no one's clock
(issue 15).  A jail is handed out only once that end succeeded; a caller who finds none idle
waits for one being readied (milliseconds) before it starts a fresh jail (tens of them).

A test set's prelude runs in the harness itself (so forks inherit its imports): trusted code,
but it may change state the next submission's program would see (a module's settings, the
random seed).  So a jail only ever takes submissions whose prelude is the one it started with.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from workers.judge.cgroups import CgroupPlan
from workers.judge.jail import Jail
from workers.judge.settings import JudgeSettings

log = logging.getLogger(__name__)
Key = tuple[int, int, str]


class JailPool:
    def __init__(self, settings: JudgeSettings, cgroups: Callable[[], CgroupPlan]) -> None:
        self._settings = settings
        self._cgroups = cgroups
        self._warm = WarmJails(settings)
        # Warm jails (and the thread readying them) must not outlive their pool, even one
        # nobody closed.
        weakref.finalize(self, self._warm.close)

    @contextlib.contextmanager
    def jail(self, *, memory_mb: int, pids: int, prelude: str) -> Iterator[Jail]:
        """A jail for one submission; after it, the jail is ended and readied in the
        background, and returns to the pool only after a clean end."""
        key = (memory_mb, pids, hashlib.sha256(prelude.encode()).hexdigest())
        jail = self._warm.take(key) or self._start(key)
        finished = False
        try:
            yield jail
            finished = True
        finally:
            self._warm.hand_back(jail, finished=finished)

    def close(self) -> None:
        """Finish the background work, then close every jail."""
        self._warm.close()

    def drop(self, *, memory_mb: int, pids: int) -> None:
        """Close the idle jails of these limits (those being readied too, once they are),
        so that the next submission under them starts a fresh one (what a fresh jail would
        grade is the reference a warm one must match)."""
        self._warm.drop((memory_mb, pids))

    def idle(self) -> list[Jail]:
        """The jails ready for a submission, once those being readied are (or failed)."""
        return self._warm.idle()

    def _start(self, key: Key) -> Jail:
        s = self._settings
        memory_mb, pids, _ = key
        jail = Jail.start(
            memory_mb=memory_mb,
            pids=pids,
            lifetime_s=s.jail_max_age_s + s.max_submission_s + 2 * s.protocol_slack_s,
            settings=s,
            cgroups=self._cgroups(),
        )
        jail.key = key
        return jail


@dataclass(eq=False)
class _Readying:
    """A jail handed back, being ended and reset; `claimed` by a caller who waits for it."""

    jail: Jail
    finished: bool  # its submission left it without a fault of ours
    done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False
    claimed: bool = False


class WarmJails:
    """The idle jails and those being readied, and the one thread that readies them."""

    def __init__(self, settings: JudgeSettings) -> None:
        self._settings = settings
        self._lock = threading.Condition()
        self._idle: list[Jail] = []
        self._readying: list[_Readying] = []
        self._queue: queue.SimpleQueue[_Readying | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False

    def take(self, key: Key) -> Jail | None:
        """An idle jail of `key`; else one being readied, once it is; else None."""
        stale: list[Jail] = []
        pending = None
        with self._lock:
            while (jail := self._pop_idle(key)) is not None:
                if self._fresh(jail):
                    break
                stale.append(jail)
            if jail is None:
                pending = next(
                    (r for r in self._readying if r.jail.key == key and not r.claimed), None
                )
                if pending is not None:
                    pending.claimed = True
        for old in stale:
            old.close()
        if pending is None:
            return jail
        return self._claim(pending)

    def _claim(self, pending: _Readying) -> Jail | None:
        """The claimed jail once readied; None when it failed, or was not ready in time
        (then it returns to the pool when it is)."""
        pending.done.wait(self._settings.protocol_slack_s)
        with self._lock:
            if not pending.done.is_set():
                pending.claimed = False
                return None
        return pending.jail if pending.ok else None

    def hand_back(self, jail: Jail, *, finished: bool) -> None:
        """Queue `jail` for its end and reset (or, `finished` False, its retirement)."""
        item = _Readying(jail, finished)
        if finished:
            jail.finish(timeout=self._settings.protocol_slack_s)
        with self._lock:
            closed = self._closed
            if not closed:
                self._readying.append(item)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._serve, name="jail-readier", daemon=True
                    )
                    self._thread.start()
                self._queue.put(item)
        if closed:
            jail.close()

    def _serve(self) -> None:
        while (item := self._queue.get()) is not None:
            self._ready(item)

    def _ready(self, item: _Readying) -> None:
        """End the submission in `item`'s jail and reset it, then hand it to its claimant
        or keep it idle; retire it when anything failed."""
        ok = False
        try:
            ok = item.finished and item.jail.end(timeout=self._settings.protocol_slack_s)
        except Exception:  # a jail that cannot be readied retires; the thread goes on
            log.exception("a jail could not be readied")
        retired: list[Jail] = []
        with self._lock:
            self._readying.remove(item)
            item.ok = ok and not self._closed and self._fresh(item.jail)
            if not item.ok:
                retired.append(item.jail)
            elif not item.claimed:
                self._idle.append(item.jail)
                # Keep the most recently used few: limits seldom change within a run.
                while len(self._idle) > self._settings.jail_pool_size:
                    retired.append(self._idle.pop(0))
            item.done.set()
            self._lock.notify_all()
        for old in retired:
            old.close()

    def settle(self, limits: tuple[int, int] | None = None) -> None:
        """Wait until no jail (of `limits`, or none at all) is being readied."""
        deadline = time.monotonic() + self._bound()
        with self._lock:
            while any(limits in (None, r.jail.key[:2]) for r in self._readying):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("jails still being readied after %.0f s", self._bound())
                    return
                self._lock.wait(remaining)

    def idle(self) -> list[Jail]:
        self.settle()
        with self._lock:
            return self._idle[:]

    def drop(self, limits: tuple[int, int]) -> None:
        self.settle(limits)
        with self._lock:
            mine = [j for j in self._idle if j.key[:2] == limits]
            self._idle[:] = [j for j in self._idle if j.key[:2] != limits]
        for jail in mine:
            jail.close()

    def close(self) -> None:
        """Let the thread finish what it holds (each one retires, as do jails handed back
        meanwhile), then close the idle ones; jails handed back later are kept again."""
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
            bound = self._bound() * (len(self._readying) + 1)
        if thread is not None and thread is not threading.current_thread():
            thread.join(bound)
        with self._lock:
            jails, self._idle[:] = self._idle[:], []
            # Kept closed while the thread may still hand jails back (it outlived the bound,
            # or this is the thread itself): each then retires.
            self._closed = thread is not None and thread.is_alive()
        for jail in jails:
            jail.close()

    def _bound(self) -> float:
        """How long readying one jail may take: its end's three steps, each bounded, and
        its close."""
        return 3 * self._settings.protocol_slack_s + 15

    def _pop_idle(self, key: Key) -> Jail | None:
        for index, jail in enumerate(self._idle):
            if jail.key == key:
                return self._idle.pop(index)
        return None

    def _fresh(self, jail: Jail) -> bool:
        s = self._settings
        young = time.monotonic() - jail.started < s.jail_max_age_s
        return jail.alive and jail.uses < s.jail_max_uses and young
