"""The benchmark's judge processes (`bench/processes.py`): each grades in a judge of its own,
fed one item at a time by a pipe, from as many threads as there are processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bench.data import Item, stdio15_native
from bench.processes import JudgeProcesses
from crucible.schema import Language, Submission


def test_processes_grade_items_from_threads_and_count_a_fault() -> None:
    workload = stdio15_native(Language.c, 8, tag="test_bench_processes")
    unknown = Item(
        "unknown test set", Submission(language=Language.c, code="int main(){}", testset="0" * 64)
    )
    processes = JudgeProcesses(2, (Language.c,))
    try:
        with ThreadPoolExecutor(max_workers=2) as threads:
            outcomes = list(threads.map(processes.grade, [*workload.items, unknown]))
    finally:
        processes.close()
    # One program in four is wrong (stdio15's), the rest pass each of their 15 tests.
    assert [o.passed for o in outcomes[:8]] == [True, True, True, False] * 2
    assert all(o.tests_run == 15 for i, o in enumerate(outcomes[:8]) if i % 4 != 3)
    assert [o.name for o in outcomes[:8]] == [item.name for item in workload.items]
    fault = outcomes[8]
    assert fault.error and not fault.passed and fault.tests_run == 0
