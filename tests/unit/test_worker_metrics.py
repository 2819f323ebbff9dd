"""The workers' fault counter names every fault code a worker can store, so none hides
under "other" (`crucible_infra_errors_total`)."""

from __future__ import annotations

from workers.judge import errors
from workers.queue import metrics


def test_every_judge_fault_has_its_own_label() -> None:
    faults = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.JudgeError)
    ]
    assert len(faults) >= 6
    for fault in faults:
        assert fault.code in metrics.INFRA_CODES, fault.__name__
    assert "machine_busy" in metrics.INFRA_CODES


def test_an_unknown_code_counts_as_other() -> None:
    def count(label: str) -> float:
        value = metrics.REGISTRY.get_sample_value("crucible_infra_errors_total", {"code": label})
        return value or 0.0

    before_other, before_busy = count("other"), count("machine_busy")
    metrics.infra_error("no_such_code")
    metrics.infra_error("machine_busy")
    assert count("other") == before_other + 1
    assert count("machine_busy") == before_busy + 1
