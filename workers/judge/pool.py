"""Warm jails: a started jail takes the next submission with the same limits.

Starting nsjail and an interpreter costs tens of milliseconds, more than grading a
single-test program, so a jail that ended its submission cleanly (no process left, scratch
space empty: the harness checks) goes back here.  The memory and pids limits are fixed when a
jail starts, so jails are kept per (memory_mb, pids).  A jail is retired after
`jail_max_uses` submissions or `jail_max_age_s`, and after any fault or unclean end.

A test set's prelude runs in the harness itself (so forks inherit its imports): trusted code,
but it may change state the next submission's program would see (a module's settings, the
random seed).  So a jail only ever takes submissions whose prelude is the one it started with.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator

from workers.judge.cgroups import CgroupPlan
from workers.judge.jail import Jail
from workers.judge.settings import JudgeSettings

log = logging.getLogger(__name__)


class JailPool:
    def __init__(self, settings: JudgeSettings, cgroups: Callable[[], CgroupPlan]) -> None:
        self._settings = settings
        self._cgroups = cgroups
        self._idle: list[Jail] = []
        self._lock = threading.Lock()
        # Warm jails must not outlive their pool, even one nobody closed.
        weakref.finalize(self, _close_all, self._idle, self._lock)

    @contextlib.contextmanager
    def jail(self, *, memory_mb: int, pids: int, prelude: str) -> Iterator[Jail]:
        """A jail for one submission; it returns to the pool only after a clean end."""
        key = (memory_mb, pids, hashlib.sha256(prelude.encode()).hexdigest())
        jail = self._take(key) or self._start(key)
        reusable = False
        try:
            yield jail
            reusable = jail.end(timeout=self._settings.protocol_slack_s)
        finally:
            self._give_back(jail, reusable)

    def close(self) -> None:
        _close_all(self._idle, self._lock)

    def drop(self, *, memory_mb: int, pids: int) -> None:
        """Close the idle jails of these limits, so that the next submission under them
        starts a fresh one (what a fresh jail would grade is the reference a warm one must
        match)."""
        with self._lock:
            mine = [j for j in self._idle if j.key[:2] == (memory_mb, pids)]
            for jail in mine:
                self._idle.remove(jail)
        for jail in mine:
            jail.close()

    def _start(self, key: tuple[int, int, str]) -> Jail:
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

    def _take(self, key: tuple[int, int, str]) -> Jail | None:
        with self._lock:
            for index, jail in enumerate(self._idle):
                if jail.key == key:
                    del self._idle[index]
                    if self._fresh(jail):
                        return jail
                    stale = jail
                    break
            else:
                return None
        stale.close()
        return None

    def _give_back(self, jail: Jail, reusable: bool) -> None:
        retired: list[Jail] = []
        with self._lock:
            if reusable and self._fresh(jail):
                self._idle.append(jail)
                # Keep the most recently used few: limits seldom change within a run.
                while len(self._idle) > self._settings.jail_pool_size:
                    retired.append(self._idle.pop(0))
            else:
                retired.append(jail)
        for old in retired:
            old.close()

    def _fresh(self, jail: Jail) -> bool:
        s = self._settings
        young = time.monotonic() - jail.started < s.jail_max_age_s
        return jail.alive and jail.uses < s.jail_max_uses and young


def _close_all(idle: list[Jail], lock: threading.Lock) -> None:
    with lock:
        jails = idle[:]
        idle.clear()
    for jail in jails:
        jail.close()
