"""MBPP+ (EvalPlus) as function-call tests: its inputs, the outputs its reference gives them.

MbppPlus.jsonl ships `base_input` and `plus_input` (argument lists) but no outputs: EvalPlus
computes them by running `canonical_solution`.  `mbpp_plus_oracle` is that program; run it
where candidates run (the jail's interpreter, PYTHONHASHSEED=0: a set's order feeds some
answers), then `mbpp_plus_call_testset` turns its answers into call tests.  Outputs cross as
the judge's call tests send return values (JSON data; tuples become lists), so an input whose
answer is a set or a non-finite float, or that the reference cannot answer in time (some plus
inputs ask for billions of combinations), is skipped, and the oracle says which and why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crucible.schema import CallCase, CallTestSet, Comparator, Limits, Policy, Submission

DEFAULT_TOLERANCE = 1e-6  # EvalPlus compares float outputs within 1e-6 when a task sets none

_ORACLE = """\
import json, math, signal, sys
{solution}

def _encode(value):
    kind = type(value)
    if kind is float and not math.isfinite(value):
        raise TypeError("a non-finite float")
    if kind in (bool, int, float, str, type(None)):
        return value
    if kind in (list, tuple):
        return [_encode(item) for item in value]
    if kind is dict:
        out = {{}}
        for key, item in value.items():
            if type(key) not in (str, int, float, bool, type(None)):
                raise TypeError("a dict key of type " + type(key).__name__)
            out[key if type(key) is str else json.dumps(key)] = _encode(item)
        return out
    raise TypeError("a " + kind.__name__)

def _alarm(signum, frame):
    raise TimeoutError("over {time_limit_s} s")

signal.signal(signal.SIGALRM, _alarm)
_outputs, _skipped = {{}}, {{}}
for _index, _args in enumerate(json.loads({inputs!r})):
    signal.setitimer(signal.ITIMER_REAL, {time_limit_s})
    try:
        _outputs[_index] = _encode({entry_point}(*_args))
    except BaseException as _exc:
        _skipped[_index] = type(_exc).__name__ + ": " + str(_exc)[:200]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
print(json.dumps({{"outputs": _outputs, "skipped": _skipped}}))
"""


@dataclass(frozen=True, slots=True)
class OracleAnswers:
    """What the reference returned, by input index; and the inputs it could not answer as
    plain data within the time limit (raised, timed out, returned a set...), with why."""

    outputs: dict[int, Any]
    skipped: dict[int, str]


def mbpp_plus_inputs(row: Mapping[str, Any], *, include_base: bool = True) -> list[list[Any]]:
    """The argument lists to test: `base_input` (the MBPP ones) then `plus_input`."""
    inputs = list(row["base_input"]) if include_base else []
    return inputs + list(row["plus_input"])


def mbpp_plus_oracle(
    row: Mapping[str, Any], *, include_base: bool = True, time_limit_s: float = 2.0
) -> str:
    """A program (Unix) that prints one JSON line: the reference's return value for each
    input it answers as plain data within `time_limit_s`, and why it skipped the others."""
    inputs = json.dumps(mbpp_plus_inputs(row, include_base=include_base))
    return _ORACLE.format(
        solution=row["prompt"] + row["canonical_solution"],
        inputs=inputs,
        entry_point=row["entry_point"],
        time_limit_s=float(time_limit_s),
    )


def parse_oracle_output(stdout: str) -> OracleAnswers:
    """The answers the oracle printed (its last line)."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    try:
        report = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        report = {}
    if not isinstance(report, dict) or "outputs" not in report:
        raise ValueError(f"not the oracle's report: {stdout[-200:]!r}")
    outputs = {int(k): v for k, v in report["outputs"].items()}
    skipped = {int(k): str(v) for k, v in report.get("skipped", {}).items()}
    return OracleAnswers(outputs, skipped)


def mbpp_plus_comparator(row: Mapping[str, Any]) -> Comparator:
    """Numbers within the task's `atol` (EvalPlus: 1e-6 when none); integers exactly."""
    tolerance = float(row.get("atol") or 0) or DEFAULT_TOLERANCE
    return Comparator(name="float", abs_tol=tolerance, rel_tol=DEFAULT_TOLERANCE)


def mbpp_plus_call_testset(
    row: Mapping[str, Any], answers: OracleAnswers, *, include_base: bool = True
) -> CallTestSet:
    """Call tests of `entry_point`: each answered input with the reference's output.

    `include_base` must be what the oracle was made with; skipped inputs are left out."""
    inputs = mbpp_plus_inputs(row, include_base=include_base)
    unknown = [i for i in answers.outputs if not 0 <= i < len(inputs)]
    if unknown:
        raise ValueError(f"answers for inputs {unknown[:5]} that the row does not have")
    if not answers.outputs:
        raise ValueError("the reference answered none of the inputs")
    cases = [CallCase(args=inputs[i], expected=answers.outputs[i]) for i in sorted(answers.outputs)]
    return CallTestSet(fn_name=row["entry_point"], cases=cases)


def mbpp_plus_call_submission(
    row: Mapping[str, Any],
    answers: OracleAnswers,
    *,
    code: str | None = None,
    include_base: bool = True,
    limits: Limits | None = None,
    policy: Policy | None = None,
) -> Submission:
    """A program graded on every MBPP+ input: `code`, or the row's reference."""
    return Submission(
        code=code if code is not None else row["prompt"] + row["canonical_solution"],
        tests=mbpp_plus_call_testset(row, answers, include_base=include_base),
        comparator=mbpp_plus_comparator(row),
        limits=limits or Limits(),
        policy=policy or Policy(),
    )
