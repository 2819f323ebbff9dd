"""Warm jails readied in the background: a jail is handed out only after its end and reset
succeeded, one that failed them retires, and closing waits for the work in flight.  Driven
with stand-in jails whose end the test controls (no nsjail)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from workers.judge.pool import JailPool, WarmJails
from workers.judge.settings import JudgeSettings

KEY = (256, 64, "no prelude")


class StandIn:
    """What the pool uses of a Jail; `end` waits for `release` and answers `clean`."""

    def __init__(self, key: tuple[int, int, str] = KEY, *, clean: bool = True) -> None:
        self.key = key
        self.clean = clean
        self.release = threading.Event()
        self.release.set()
        self.ending = threading.Event()
        self.ended = False
        self.finished = False
        self.closed = False
        self.uses = 1
        self.started = time.monotonic()
        self.alive = True
        self.fault: Exception | None = None

    def finish(self, *, timeout: float) -> None:
        self.finished = True

    def end(self, *, timeout: float) -> bool:
        assert self.finished, "the harness is told the submission is over first"
        self.ending.set()
        assert self.release.wait(10), "the test never released this jail's end"
        if self.fault is not None:
            raise self.fault
        self.ended = True
        return self.clean

    def close(self) -> None:
        self.closed = True


def settings(**changes: object) -> JudgeSettings:
    return JudgeSettings.model_validate({"protocol_slack_s": 5.0, **changes})


@pytest.fixture
def warm() -> Iterator[WarmJails]:
    jails = WarmJails(settings())
    yield jails
    jails.close()


def held(jail: StandIn) -> StandIn:
    """`jail` with its end held until the test sets `release`."""
    jail.release.clear()
    return jail


def test_a_jail_is_handed_out_only_after_its_reset(warm: WarmJails) -> None:
    jail = held(StandIn())
    warm.hand_back(jail, finished=True)  # type: ignore[arg-type]
    assert jail.ending.wait(5)
    taken: list[object] = []
    taker = threading.Thread(target=lambda: taken.append(warm.take(KEY)))
    taker.start()
    time.sleep(0.2)
    assert not taken, "handed out while its end was still running"
    jail.release.set()
    taker.join(5)
    assert taken == [jail] and jail.ended and not jail.closed
    assert warm.idle() == [], "a claimed jail goes to its claimant, not to the idle ones"


def test_a_ready_jail_waits_idle_for_the_next_submission(warm: WarmJails) -> None:
    jail = StandIn()
    warm.hand_back(jail, finished=True)  # type: ignore[arg-type]
    assert warm.idle() == [jail]
    assert warm.take(KEY) is jail
    assert warm.take(KEY) is None, "a jail is handed to one submission at a time"
    assert warm.take((256, 64, "another prelude")) is None


@pytest.mark.parametrize("how", ["dirty", "raises", "unfinished"])
def test_a_jail_whose_end_fails_retires(warm: WarmJails, how: str) -> None:
    jail = held(StandIn(clean=how != "dirty"))
    if how == "raises":
        jail.fault = OSError("the harness is gone")
    warm.hand_back(jail, finished=how != "unfinished")  # type: ignore[arg-type]
    taken: list[object] = []
    taker = threading.Thread(target=lambda: taken.append(warm.take(KEY)))
    taker.start()
    time.sleep(0.1)
    jail.release.set()
    taker.join(5)
    assert taken == [None] and jail.closed and warm.idle() == []
    assert jail.ended is (how == "dirty"), "a submission that broke is not ended, it retires"
    # The thread goes on readying the next one.
    other = StandIn()
    warm.hand_back(other, finished=True)  # type: ignore[arg-type]
    assert warm.take(KEY) is other


def test_a_reset_too_slow_is_not_waited_for_and_its_jail_kept_after() -> None:
    warm = WarmJails(settings(protocol_slack_s=0.2))
    try:
        jail = held(StandIn())
        warm.hand_back(jail, finished=True)  # type: ignore[arg-type]
        started = time.monotonic()
        assert warm.take(KEY) is None, "the caller starts a fresh jail instead"
        assert time.monotonic() - started < 2
        jail.release.set()
        assert warm.idle() == [jail]
    finally:
        warm.close()


def test_a_jail_too_old_or_used_up_or_dead_is_not_handed_out(warm: WarmJails) -> None:
    old, used, dead = StandIn(), StandIn(), StandIn()
    old.started -= 10 * settings().jail_max_age_s
    used.uses = settings().jail_max_uses
    dead.alive = False
    for jail in (old, used, dead):
        warm.hand_back(jail, finished=True)  # type: ignore[arg-type]
    assert warm.idle() == [] and warm.take(KEY) is None
    assert old.closed and used.closed and dead.closed


def test_only_the_pool_size_stays_idle() -> None:
    warm = WarmJails(settings(jail_pool_size=2))
    try:
        jails = [StandIn((256, 64, str(i))) for i in range(3)]
        for jail in jails:
            warm.hand_back(jail, finished=True)  # type: ignore[arg-type]
        assert warm.idle() == jails[1:] and jails[0].closed
    finally:
        warm.close()


def test_close_waits_for_the_work_in_flight_and_retires_it(warm: WarmJails) -> None:
    ready, busy = StandIn(), held(StandIn())
    warm.hand_back(ready, finished=True)  # type: ignore[arg-type]
    assert warm.idle() == [ready]
    warm.hand_back(busy, finished=True)  # type: ignore[arg-type]
    assert busy.ending.wait(5)
    closer = threading.Thread(target=warm.close)
    closer.start()
    time.sleep(0.2)
    assert closer.is_alive(), "close returned while a jail was still being readied"
    busy.release.set()
    closer.join(5)
    assert not closer.is_alive()
    assert busy.ended and busy.closed and ready.closed and warm.idle() == []


def test_drop_closes_those_being_readied_once_they_are(warm: WarmJails) -> None:
    mine, other = held(StandIn()), StandIn((512, 64, "no prelude"))
    warm.hand_back(other, finished=True)  # type: ignore[arg-type]
    warm.hand_back(mine, finished=True)  # type: ignore[arg-type]
    threading.Timer(0.2, mine.release.set).start()
    warm.drop((256, 64))
    assert mine.ended and mine.closed
    assert warm.idle() == [other] and not other.closed


class StandInPool(JailPool):
    """A pool whose fresh jails are stand-ins."""

    def __init__(self) -> None:
        super().__init__(settings(), cgroups=lambda: pytest.fail("no cgroups here"))
        self.started: list[StandIn] = []

    def _start(self, key: tuple[int, int, str]) -> StandIn:  # type: ignore[override]
        jail = StandIn(key)
        self.started.append(jail)
        return jail


def test_the_pool_reuses_a_jail_once_readied_and_never_one_that_broke() -> None:
    pool = StandInPool()
    try:
        with pool.jail(memory_mb=256, pids=64, prelude="") as first:
            pass
        with pool.jail(memory_mb=256, pids=64, prelude="") as second:
            assert second is first and first.ended
        with pytest.raises(RuntimeError), pool.jail(memory_mb=256, pids=64, prelude=""):
            raise RuntimeError("our fault, mid-submission")
        with pool.jail(memory_mb=256, pids=64, prelude="") as third:
            assert third is not first
        assert first.closed and len(pool.started) == 2
    finally:
        pool.close()
    assert all(jail.closed for jail in pool.started)
