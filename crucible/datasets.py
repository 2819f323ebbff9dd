"""Converters from public code datasets' native rows into `Submission`s and test sets.

Covers the DeepCoder/rllm test shapes (LiveCodeBench, TACO/APPS, PrimeIntellect, CodeContests,
Codeforces, LeetCode), HumanEval, MBPP (full and sanitized), MBPP+ (its assertion here; its
plus inputs as call tests in crucible.mbpp_plus, re-exported below) and Kattis problem
packages (crucible.kattis, re-exported below).
"""

from __future__ import annotations

import ast
import contextlib
import gzip
import json
from collections.abc import Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any, TypeAlias

from crucible.kattis import (  # noqa: F401 - re-exported: Kattis problem packages
    KattisProblem,
    PackageError,
    read_kattis_problem,
)
from crucible.mbpp_plus import (  # noqa: F401 - re-exported: MBPP+ plus inputs as call tests
    OracleAnswers,
    mbpp_plus_call_submission,
    mbpp_plus_call_testset,
    mbpp_plus_inputs,
    mbpp_plus_oracle,
    parse_oracle_output,
)
from crucible.schema import (
    AnyTestSet,
    AssertTestSet,
    CallCase,
    CallTestSet,
    Comparator,
    Language,
    Limits,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
)

# TypeAlias, not the `type` statement: trainers import this module on Python 3.11.
StrPath: TypeAlias = str | PathLike[str]

# The names LeetCode-style solutions and `check` functions expect, as DeepCoder's judge
# (rllm) provided them.  pandas is bound lazily: importing it costs about a second per jail
# and almost no solution uses it.  The `from` imports come first so that `bisect`, `copy`
# and `string` end up naming modules, as there.
LEETCODE_PRELUDE = '''\
from bisect import bisect, bisect_left, bisect_right, insort
from collections import Counter, OrderedDict, defaultdict, deque
from copy import deepcopy
from functools import cache, cmp_to_key, lru_cache, partial, reduce
from heapq import heapify, heappop, heappush, heapreplace, merge, nlargest, nsmallest
from itertools import (
    accumulate, chain, combinations, count, cycle, groupby, islice, pairwise, permutations,
    product, repeat, zip_longest,
)
from math import (
    atan2, ceil, comb, factorial, floor, gcd, inf, isqrt, log, log2, log10, pi, prod, sqrt,
)
from operator import iand, itemgetter, or_, sub, xor
from os.path import commonprefix
from random import randrange, shuffle
from re import search as re_search
from string import ascii_lowercase, ascii_uppercase
from typing import (
    Any, Callable, Deque, Dict, Generator, Iterable, Iterator, List, Optional, Set, Tuple, Union,
)
import bisect
import collections
import copy
import datetime
import functools
import heapq
import io
import itertools
import math
import operator
import os
import random
import re
import string
import sys
from time import time

import numpy as np


class _LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        import importlib

        return getattr(importlib.import_module(self._name), attr)


pd = _LazyModule("pandas")


class ListNode:
    """A singly linked list node, as LeetCode defines it."""

    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class TreeNode:
    """A binary tree node, as LeetCode defines it."""

    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


def list_node(values: List[Any]) -> Optional[ListNode]:
    """The linked list holding `values` in order; None when empty."""
    head = None
    for value in reversed(values):
        head = ListNode(value, head)
    return head


def tree_node(values: List[Any]) -> Optional[TreeNode]:
    """The tree in LeetCode's level-order form, where None marks a missing child."""
    if not values:
        return None
    root = TreeNode(values[0])
    nodes = deque([root])
    index = 1
    while nodes and index < len(values):
        node = nodes.popleft()
        for side in ("left", "right"):
            if index < len(values) and values[index] is not None:
                child = TreeNode(values[index])
                setattr(node, side, child)
                nodes.append(child)
            index += 1
    return root


def is_same_list(first: Optional[ListNode], second: Optional[ListNode]) -> bool:
    """Whether two linked lists hold equal values in the same order."""
    while first is not None and second is not None:
        if first.val != second.val:
            return False
        first, second = first.next, second.next
    return first is None and second is None


def is_same_tree(first: Optional[TreeNode], second: Optional[TreeNode]) -> bool:
    """Whether two trees have the same shape and equal values (no recursion limit)."""
    pairs = [(first, second)]
    while pairs:
        a, b = pairs.pop()
        if a is None or b is None:
            if a is not b:
                return False
            continue
        if a.val != b.val:
            return False
        pairs.append((a.left, b.left))
        pairs.append((a.right, b.right))
    return True
'''


def read_jsonl(path: StrPath) -> Iterator[dict[str, Any]]:
    """The rows of a JSON Lines file (gzip-compressed when the name ends in .gz)."""
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: a JSON Lines row must be an object")
            yield row


def read_json(path: StrPath) -> Any:
    """The value in a JSON file (gzip-compressed when the name ends in .gz)."""
    with _open_text(path) as text:
        return json.load(text)


def _open_text(path: StrPath) -> IO[str]:
    if Path(path).suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")  # the caller closes it


def deepcoder_testset(tests: Any, *, fn_name: str | None = None) -> AnyTestSet:
    """The test set in a DeepCoder (rllm) row's `tests`, in any of the shapes it uses.

    `tests` may be a JSON (or Python-literal) string of any of these:

    - LiveCodeBench: a list of `{"input", "output", "testtype": "stdin" | "functional",
      "metadata": {"func_name"}}`.  A functional test's `input` holds one JSON value per line,
      one per argument, and its `output` is one JSON value; both are used exactly as parsed.
    - TACO / APPS / PrimeIntellect / CodeContests: `{"inputs", "outputs", "fn_name"?}`, or
      PrimeIntellect's list of `{"input", "output", "fn_name"?}`.  Without a function name each
      input and output is stdin/stdout text, or a list of lines joined with newlines.  With
      one, each input is the argument list and each output the return value, except that a
      one-element list output is TACO's wrapper around the return value and is unwrapped
      (APPS' judge accepts either; a function that truly returns `[x]` is stored as `[[x]]`).
    - Codeforces: a list of `{"input", "output"}` stdin/stdout texts.
    - LeetCode: `{"functional": "def check(candidate): ...\\ncheck(Solution().f)"}`, run as
      an assert test after `LEETCODE_PRELUDE`.

    `fn_name` supplies the function name where the tests do not carry it (LiveCodeBench keeps
    it in the row's metadata); a different name in the tests is an error.
    """
    if isinstance(tests, str):
        tests = _parse_text(tests)
    if isinstance(tests, Mapping):
        if "functional" in tests:
            return AssertTestSet(code=_text(tests["functional"]), prelude=LEETCODE_PRELUDE)
        if "inputs" in tests and "outputs" in tests:
            name = _agree(fn_name, tests.get("fn_name"))
            return _taco_testset(tests["inputs"], tests["outputs"], fn_name=name)
    elif isinstance(tests, list) and tests and all(isinstance(t, Mapping) for t in tests):
        if any("testtype" in test for test in tests):
            return _lcb_testset(tests, fn_name=fn_name)
        inputs = [test["input"] for test in tests]
        outputs = [test["output"] for test in tests]
        name = _agree(fn_name, *(test.get("fn_name") for test in tests))
        return _taco_testset(inputs, outputs, fn_name=name)
    raise ValueError(f"unrecognised DeepCoder tests shape: {_describe(tests)}")


def _parse_text(tests: str) -> Any:
    try:
        return json.loads(tests)
    except json.JSONDecodeError:
        pass  # rllm also stores PrimeIntellect tests as Python literals
    try:
        return ast.literal_eval(tests)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise ValueError("tests string is neither JSON nor a Python literal") from exc


def _taco_testset(inputs: Any, outputs: Any, *, fn_name: str | None) -> AnyTestSet:
    if not isinstance(inputs, list) or not isinstance(outputs, list):
        raise ValueError("TACO-style tests need lists of inputs and outputs")
    if len(inputs) != len(outputs):
        raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
    if not inputs:
        raise ValueError("tests hold no cases")
    if fn_name is None:
        cases = [
            StdioCase(input=_lines(i), output=_lines(o))
            for i, o in zip(inputs, outputs, strict=True)
        ]
        return StdioTestSet(cases=cases)
    return CallTestSet(
        fn_name=fn_name,
        cases=[
            CallCase(args=_arguments(i), expected=_unwrap(o))
            for i, o in zip(inputs, outputs, strict=True)
        ],
    )


def _lcb_testset(tests: list[Mapping[str, Any]], *, fn_name: str | None) -> AnyTestSet:
    kinds = {test.get("testtype") for test in tests}
    if kinds == {"stdin"}:
        return StdioTestSet(
            cases=[StdioCase(input=_text(t["input"]), output=_text(t["output"])) for t in tests]
        )
    if kinds != {"functional"}:
        raise ValueError(
            f"LiveCodeBench tests mix or misname test types: {sorted(map(str, kinds))}"
        )
    name = _agree(fn_name, *(_metadata(test).get("func_name") for test in tests))
    if name is None:
        raise ValueError("LiveCodeBench functional tests name no function (metadata.func_name)")
    cases = [
        CallCase(args=_json_lines(_text(t["input"])), expected=json.loads(_text(t["output"])))
        for t in tests
    ]
    return CallTestSet(fn_name=name, cases=cases)


def _metadata(test: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = test.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if not isinstance(metadata, Mapping):
        raise ValueError(f"test metadata is {_describe(metadata)}, not an object")
    return metadata


def _agree(*names: Any) -> str | None:
    """The one function name given, or None; different names are an error."""
    for name in names:
        if name and not isinstance(name, str):
            raise ValueError(f"function name is {_describe(name)}, not a string")
    given = {name for name in names if name}
    if len(given) > 1:
        raise ValueError(f"tests name different functions: {sorted(given)}")
    return given.pop() if given else None


def _json_lines(text: str) -> list[Any]:
    """LiveCodeBench's argument encoding: one JSON value per non-blank line."""
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def _arguments(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return _json_lines(value)
    raise ValueError(f"function-call input is {_describe(value)}, not an argument list")


def _unwrap(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _lines(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "\n".join(value)
    return _text(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_describe(value)}")
    return value


def _describe(value: Any) -> str:
    return type(value).__name__


def humaneval_submission(
    row: Mapping[str, Any],
    *,
    completion: str | None = None,
    limits: Limits | None = None,
    policy: Policy | None = None,
    comparator: Comparator | None = None,
) -> Submission:
    """A HumanEval row (`task_id, prompt, entry_point, canonical_solution, test`) to grade.

    The program is the prompt followed by `completion`, or by the canonical solution.  The
    prompt's own helpers (`poly`, `encode_cyclic`: functions the test checks with) are the
    test set's prelude too, so a program that redefines them cannot change the check.
    """
    body = completion if completion is not None else row["canonical_solution"]
    tests = AssertTestSet(
        code=row["test"],
        entry_point=row["entry_point"],
        prelude=_prompt_helpers(row["prompt"], row["entry_point"]),
    )
    return _submission(
        tests, code=row["prompt"] + body, limits=limits, policy=policy, comparator=comparator
    )


def _prompt_helpers(prompt: str, entry_point: str) -> str:
    """A HumanEval prompt less its entry point's stub: its imports and the helper functions
    the test may use; empty when the prompt defines nothing besides the entry point."""
    try:
        body = ast.parse(prompt).body
    except SyntaxError:
        return ""
    kept = [n for n in body if not (isinstance(n, ast.FunctionDef) and n.name == entry_point)]
    defines = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    if not any(isinstance(node, defines) for node in kept):
        return ""
    segments = [ast.get_source_segment(prompt, node) or "" for node in kept]
    return "\n\n".join(segment for segment in segments if segment) + "\n"


def mbpp_submission(
    row: Mapping[str, Any],
    *,
    code: str | None = None,
    include_challenge: bool = True,
    limits: Limits | None = None,
    policy: Policy | None = None,
    comparator: Comparator | None = None,
) -> Submission:
    """An MBPP row to grade: `mbpp.jsonl` (`code, test_setup_code, test_list,
    challenge_test_list`) or `sanitized-mbpp.json` (`code, test_imports, test_list`).

    The tests are the setup code or imports, then one assert per line; `code` replaces the
    reference program.
    """
    setup = row.get("test_setup_code") or "\n".join(row.get("test_imports") or [])
    asserts = list(row["test_list"])
    if include_challenge:
        asserts += row.get("challenge_test_list") or []
    lines = [setup.strip("\r\n"), *(line.strip("\r\n") for line in asserts)]
    tests = AssertTestSet(code=_unix("\n".join(line for line in lines if line) + "\n"))
    program = code if code is not None else row["code"]
    return _submission(tests, code=program, limits=limits, policy=policy, comparator=comparator)


def mbpp_plus_submission(
    row: Mapping[str, Any],
    *,
    code: str | None = None,
    limits: Limits | None = None,
    policy: Policy | None = None,
    comparator: Comparator | None = None,
) -> Submission:
    """An EvalPlus `MbppPlus.jsonl` row to grade against its `assertion` (the MBPP asserts).

    The program is `prompt + canonical_solution`, or `code` as a whole program.  `import math`
    goes first because some assertions use `math.isclose` without importing it.
    """
    tests = AssertTestSet(code="import math\n" + row["assertion"])
    program = code if code is not None else row["prompt"] + row["canonical_solution"]
    return _submission(tests, code=program, limits=limits, policy=policy, comparator=comparator)


def leetcode_submission(
    row: Mapping[str, Any],
    *,
    code: str | None = None,
    limits: Limits | None = None,
    policy: Policy | None = None,
    comparator: Comparator | None = None,
) -> Submission:
    """An rllm LeetCode row (`problem, solutions, tests: {functional}`) to grade.

    The program is `code`, or the reference `class Solution`.
    """
    tests = deepcoder_testset(row["tests"])
    if not isinstance(tests, AssertTestSet):
        raise ValueError("a LeetCode row's tests must be {'functional': ...}")
    program = code if code is not None else _reference(row)
    return _submission(tests, code=program, limits=limits, policy=policy, comparator=comparator)


def deepcoder_submission(
    row: Mapping[str, Any],
    *,
    code: str | None = None,
    response: str | None = None,
    language: Language = Language.python,
    limits: Limits | None = None,
    policy: Policy | None = None,
    comparator: Comparator | None = None,
) -> Submission:
    """Any DeepCoder (rllm) row (`problem, tests, solutions?, metadata?`) to grade.

    `tests` may be any shape `deepcoder_testset` reads.  The program (in `language`) is
    `code`, or the model's whole `response`, or else the row's first reference solution.
    """
    if code is not None and response is not None:
        raise ValueError("give at most one of `code` or `response`")
    tests = deepcoder_testset(row["tests"], fn_name=_metadata(row).get("func_name"))
    if response is not None:
        return _submission(
            tests,
            response=response,
            language=language,
            limits=limits,
            policy=policy,
            comparator=comparator,
        )
    program = code if code is not None else _reference(row)
    return _submission(
        tests, code=program, language=language, limits=limits, policy=policy, comparator=comparator
    )


# CodeContests (deepmind/code_contests) numbers its solutions' languages; the ones run here.
CODE_CONTESTS_LANGUAGES: dict[int, Language] = {
    2: Language.cpp,
    3: Language.python,
    4: Language.java,
}
# A program file's language by its suffix, as contest packages (Kattis) name them.
SUFFIXES: dict[str, Language] = {
    ".py": Language.python,
    ".c": Language.c,
    ".cc": Language.cpp,
    ".cpp": Language.cpp,
    ".cxx": Language.cpp,
    ".java": Language.java,
    ".js": Language.javascript,
    ".rs": Language.rust,
    ".go": Language.go,
}


def code_contests_solutions(
    row: Mapping[str, Any], language: Language, *, incorrect: bool = False
) -> list[str]:
    """A CodeContests row's reference programs in `language` (its `solutions`, or with
    `incorrect` its `incorrect_solutions`): `{"language": [int], "solution": [str]}`."""
    field = row.get("incorrect_solutions" if incorrect else "solutions") or {}
    codes = field.get("language", []) if isinstance(field, Mapping) else []
    programs = field.get("solution", []) if isinstance(field, Mapping) else []
    if len(codes) != len(programs):
        raise ValueError("a CodeContests row's solutions and their languages differ in number")
    return [
        program
        for code, program in zip(codes, programs, strict=True)
        if CODE_CONTESTS_LANGUAGES.get(code) == language and program.strip()
    ]


def language_of(path: StrPath) -> Language | None:
    """The language of a program file by its suffix; None for one not run here."""
    return SUFFIXES.get(Path(path).suffix.lower())


def _reference(row: Mapping[str, Any]) -> str:
    """The row's first reference solution: `solutions` is a program, a list of programs, or a
    JSON list of programs."""
    solutions = row.get("solutions")
    if isinstance(solutions, str) and solutions.lstrip().startswith("["):
        with contextlib.suppress(json.JSONDecodeError):  # or a program that starts with "["
            solutions = json.loads(solutions)
    if isinstance(solutions, Sequence) and not isinstance(solutions, str):
        solutions = next((s for s in solutions if isinstance(s, str) and s.strip()), None)
    if not isinstance(solutions, str) or not solutions.strip():
        raise ValueError("row has no reference solution: pass `code` or `response`")
    return solutions


def _unix(text: str) -> str:
    return text.replace("\r\n", "\n")


def _submission(
    tests: AnyTestSet,
    *,
    code: str | None = None,
    response: str | None = None,
    language: Language = Language.python,
    limits: Limits | None,
    policy: Policy | None,
    comparator: Comparator | None,
) -> Submission:
    return Submission(
        language=language,
        code=code,
        response=response,
        tests=tests,
        limits=limits or Limits(),
        policy=policy or Policy(),
        comparator=comparator or Comparator(),
    )
