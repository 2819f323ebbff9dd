"""Progress of graded submissions: counts, mirrored to tqdm bars while one is attached."""

from __future__ import annotations

from tqdm.auto import tqdm


class Progress:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self._bars: list[tqdm] = []

    def advance(self, count: int) -> None:
        if count <= 0:
            return
        self.done += count
        for bar in self._bars:
            bar.update(count)

    def attach(self, bar: tqdm) -> None:
        self._bars.append(bar)

    def detach(self, bar: tqdm) -> None:
        if bar in self._bars:
            self._bars.remove(bar)


def progress_bar(total: int, *, enabled: bool, done: int = 0) -> tqdm:
    """A bar for one call; `leave=False` keeps a training log to one line per step."""
    return tqdm(
        total=total,
        initial=done,
        disable=not enabled,
        desc="crucible",
        unit="sub",
        leave=False,
        dynamic_ncols=True,
    )
