"""IOI-style subtask scoring, and which tests stop_on_first_failure skips.

A test scores 1 when it passed, the checker's partial credit where it gave one, else 0; a
subtask scores the minimum over its selected tests; the total is the sum of points x score.
With subtasks, stopping early never changes a score: a test is skipped only once every
subtask that holds it already has a test that scored 0 (its minimum can fall no lower).
"""

from __future__ import annotations

from collections.abc import Sequence

from crucible.schema import Score, Subtask, SubtaskScore, TestResult, Verdict


def test_score(result: TestResult) -> float:
    if result.verdict == Verdict.passed:
        return 1.0
    return result.score if result.score is not None else 0.0


def score_subtasks(subtasks: Sequence[Subtask], results: Sequence[TestResult]) -> Score:
    """The points `results` earn; a subtask none of whose tests has a result (not
    selected) is left out of both the total and the maximum."""
    scores = {result.index: test_score(result) for result in results}
    parts: list[SubtaskScore] = []
    for subtask in subtasks:
        own = [scores[index] for index in subtask.tests if index in scores]
        score = min(own) if own else None
        earned = subtask.points * score if score is not None else 0.0
        parts.append(
            SubtaskScore(name=subtask.name, points=subtask.points, score=score, earned=earned)
        )
    return Score(
        total=sum(part.earned for part in parts),
        max=sum(part.points for part in parts if part.score is not None),
        subtasks=parts,
    )


class Stopping:
    """stop_on_first_failure for one submission: without subtasks, every test after the
    first failure is skipped; with them, a test is skipped once each subtask holding it
    has a test that scored 0."""

    def __init__(self, *, stop: bool, subtasks: Sequence[Subtask] | None) -> None:
        self.stop = stop
        self.failed = False
        self._zeroed: set[int] = set()  # subtasks (by position) with a test that scored 0
        self._holders: dict[int, list[int]] = {}
        for number, subtask in enumerate(subtasks or ()):
            for index in subtask.tests:
                self._holders.setdefault(index, []).append(number)
        self.by_subtask = subtasks is not None

    def record(self, result: TestResult) -> None:
        if result.verdict == Verdict.passed:
            return
        self.failed = True
        if test_score(result) == 0.0:
            self._zeroed.update(self._holders.get(result.index, ()))

    def skips(self, index: int) -> bool:
        if not self.stop:
            return False
        if not self.by_subtask:
            return self.failed
        return all(number in self._zeroed for number in self._holders.get(index, ()))
