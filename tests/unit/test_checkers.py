"""Checkers without a jail: the wire schema's rules for them, how each protocol's exit
becomes a verdict (every exit a protocol does not define is CheckerFailed), how a checker
builds and what it is run with, and the gateway's caps."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from crucible.schema import (
    Checker,
    CheckerProtocol,
    Language,
    StdioCase,
    StdioTestSet,
    Verdict,
)
from crucible.schema import testset_hash as sha256_of
from service.errors import LimitTooHigh, PayloadTooLarge, TooManyFiles
from service.limits import check_testset
from service.settings import GatewaySettings
from workers.judge.checkers import (
    Checked,
    checker_argv,
    checker_toolchain,
    read_kattis,
    read_manager,
    read_python,
    read_testlib,
)
from workers.judge.errors import CheckerFailed

CASES = [StdioCase(input="2 3\n", output="5\n")]


def checker(**fields: Any) -> Checker:
    return Checker.model_validate({"protocol": "testlib", "source": "int main() {}", **fields})


# -- the schema ------------------------------------------------------------------------------


def test_a_test_set_without_a_checker_hashes_as_before_checkers() -> None:
    # The hash docs/api.md shows for this test set.
    plain = StdioTestSet(cases=CASES)
    assert sha256_of(plain).startswith("847d0fc3")
    with_checker = StdioTestSet(cases=CASES, checker=checker())
    assert sha256_of(with_checker) != sha256_of(plain)
    other = StdioTestSet(cases=CASES, checker=checker(files={"a.h": "x"}))
    assert sha256_of(other) != sha256_of(with_checker)


def test_a_checker_hashes_as_before_managers_had_processes() -> None:
    """(and before interactors had checkers)"""
    assert sha256_of(StdioTestSet(cases=CASES, checker=checker())).startswith("4c65114d")
    plain = checker(interactive=True)
    checked = checker(interactive=True, checker={"protocol": "testlib", "source": "y"})
    assert sha256_of(StdioTestSet(cases=CASES, checker=plain)) != sha256_of(
        StdioTestSet(cases=CASES, checker=checked)
    )
    one = StdioTestSet(cases=CASES, checker=checker(protocol="manager"))
    two = StdioTestSet(cases=CASES, checker=checker(protocol="manager", processes=2))
    assert sha256_of(one) != sha256_of(two)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"files": {"/etc/passwd": ""}}, "absolute"),
        ({"files": {"../x.h": ""}}, ".."),
        ({"files": {"main.cpp": ""}}, "build uses"),
        ({"files": {"main": ""}}, "build uses"),
        ({"files": {"__main__.py": ""}}, "build uses"),
        ({"files": {"a": "", "a/b.h": ""}}, "both a file and a folder"),
        ({"files": {f"f{i}.h": "" for i in range(65)}}, "at most"),
        ({"flags": ["float_tolerance", "1e-6"]}, "kattis"),
        ({"protocol": "python", "language": "cpp"}, "Python"),
        ({"language": "cpp", "standard": "c++03"}, "no standard"),
        ({"protocol": "kattis", "flags": ["a\0b"]}, "NUL"),
        ({"source": ""}, "at least 1"),
        ({"processes": 2}, "manager"),
        ({"protocol": "manager", "processes": 5}, "less than or equal to 4"),
        ({"protocol": "manager", "processes": 0}, "greater than or equal to 1"),
        ({"checker": {"protocol": "testlib", "source": "x"}}, "only a testlib interactor"),
        (
            {
                "protocol": "kattis",
                "interactive": True,
                "checker": {"protocol": "testlib", "source": "x"},
            },
            "only a testlib interactor",
        ),
        (
            {
                "interactive": True,
                "checker": {"protocol": "kattis", "interactive": True, "source": "x"},
            },
            "plain checker",
        ),
    ],
)
def test_a_checker_the_schema_refuses(fields: dict[str, Any], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        checker(**fields)


def test_a_checker_may_carry_headers_in_folders_and_kattis_flags() -> None:
    made = checker(protocol="kattis", files={"include/validate.h": "", "x.cc": ""}, flags=["a"])
    assert made.version == 1 and made.limits.test_wall_s == 21


# -- verdicts by protocol ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stderr", "expected"),
    [
        (0, "ok 3 numbers", Checked(Verdict.passed, "ok 3 numbers")),
        (1, "wrong answer 4", Checked(Verdict.wrong_answer, "wrong answer 4")),
        (2, "expected int", Checked(Verdict.wrong_answer, "presentation error: expected int")),
        (4, "", Checked(Verdict.wrong_answer, "extra output: ")),
        (8, "eof", Checked(Verdict.wrong_answer, "unexpected end: eof")),
        (7, "points 0.25 a quarter", Checked(Verdict.wrong_answer, "points 0.25 a quarter", 0.25)),
        (7, "points 1", Checked(Verdict.passed, "points 1", 1.0)),
        (7, "0", Checked(Verdict.wrong_answer, "0", 0.0)),
    ],
)
def test_testlib_exits(code: int, stderr: str, expected: Checked) -> None:
    assert read_testlib(code, "", stderr, "") == expected


@pytest.mark.parametrize(
    ("code", "stderr"),
    [(3, "FAIL bad answer"), (5, ""), (None, ""), (7, "points 1.5"), (7, "points nan"), (7, "")],
)
def test_testlib_failures(code: int | None, stderr: str) -> None:
    with pytest.raises(CheckerFailed) as caught:
        read_testlib(code, "", stderr, "")
    assert caught.value.code == "checker_failed" and not caught.value.retryable


def test_kattis_exits() -> None:
    assert read_kattis(42, "", "", "") == Checked(Verdict.passed)
    wrong = read_kattis(43, "", "", "judge answer = 2 but output = 3\n")
    assert wrong == Checked(Verdict.wrong_answer, "judge answer = 2 but output = 3")
    for code in (0, 1, 44, None):
        with pytest.raises(CheckerFailed):
            read_kattis(code, "", "", "")


def test_python_scores() -> None:
    assert read_python(0, "1\n", "", "") == Checked(Verdict.passed, "", 1.0)
    half = read_python(0, "0.5 two of four\n", "", "")
    assert half == Checked(Verdict.wrong_answer, "two of four", 0.5)
    for code, stdout in ((0, ""), (0, "yes"), (0, "1.01"), (0, "-0.1"), (0, "inf"), (1, "1")):
        with pytest.raises(CheckerFailed):
            read_python(code, stdout, "Traceback ...", "")


def test_manager_scores() -> None:
    """CMS's manager: the score first on stdout, its message on stderr."""
    assert read_manager(0, "1\n", "right\n", "") == Checked(Verdict.passed, "right", 1.0)
    half = read_manager(0, "0.5\n", "long message", "")
    assert half == Checked(Verdict.wrong_answer, "long message", 0.5)
    assert read_manager(0, "0", "", "").verdict == Verdict.wrong_answer
    for code, stdout in ((0, ""), (0, "ok"), (0, "2"), (0, "nan"), (1, "1"), (None, "1")):
        with pytest.raises(CheckerFailed):
            read_manager(code, stdout, "why", "")


def test_a_manager_talks_whatever_it_is_told() -> None:
    manager = checker(protocol="manager", processes=3)
    assert manager.talks and not manager.interactive
    assert not checker().talks and checker(protocol="kattis", interactive=True).talks


def test_a_long_message_is_cut() -> None:
    checked = read_testlib(1, "", "x" * 100_000, "")
    assert len(checked.message) <= 2000 and checked.message.endswith("...")


# -- building and running ----------------------------------------------------------------------


def test_cpp_compiles_every_source_among_its_files() -> None:
    made = checker(files={"validate.h": "", "util.cc": "", "more/two.cpp": "", "odd{x}.cc": ""})
    build = checker_toolchain(made).build_argv(None, made.source)
    assert build[-4:] == ["more/two.cpp", "odd{x}.cc", "util.cc", "-lm"]
    assert "validate.h" not in build and "main.cpp" in build


def test_each_protocol_runs_with_its_arguments() -> None:
    testlib = checker()
    argv = checker_argv(testlib, checker_toolchain(testlib))
    assert argv == ["/code/main", "/dev/fd/3", "/dev/fd/4", "/dev/fd/5"]
    kattis = checker(protocol="kattis", flags=["float_tolerance", "1e-6"])
    argv = checker_argv(kattis, checker_toolchain(kattis))
    assert argv[1:] == ["/dev/fd/3", "/dev/fd/5", "/tmp/feedback", "float_tolerance", "1e-6"]
    python = checker(protocol="python", language="python", source="print(1)")
    argv = checker_argv(python, checker_toolchain(python))
    assert argv[0].startswith("/usr/bin/python3") and argv[1:2] == ["/code/main"]
    manager = checker(protocol="manager", processes=2)
    argv = checker_argv(manager, checker_toolchain(manager))
    assert argv == ["/code/main", "/dev/fd/7", "/dev/fd/8", "/dev/fd/9", "/dev/fd/10"]
    java = checker(language="java", source="public class Check { }")
    argv = checker_argv(java, checker_toolchain(java))
    assert "Check" in argv and "-Xmx1024m" in argv


# -- the gateway's caps ----------------------------------------------------------------------


def caps(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(**overrides)


@pytest.mark.parametrize(
    ("fields", "settings", "error", "words"),
    [
        ({"source": "x" * 2048}, {"max_checker_kb": 1}, PayloadTooLarge, "checker.source"),
        ({"files": {"t.h": "é" * 600}}, {"max_checker_kb": 1}, PayloadTooLarge, "'t.h'"),
        (
            {"files": {"a.h": "x" * 700, "b.h": "x" * 700}},
            {"max_checker_total_kb": 1},
            PayloadTooLarge,
            "together",
        ),
        ({"files": {"a.h": "", "b.h": ""}}, {"max_checker_files": 1}, TooManyFiles, "2 files"),
        ({"limits": {"time_s": 100}}, {}, LimitTooHigh, "checker.limits.time_s"),
        ({"limits": {"memory_mb": 8192}}, {}, LimitTooHigh, "checker.limits.memory_mb"),
        (
            {"protocol": "manager", "processes": 3},
            {"max_processes": 2},
            LimitTooHigh,
            "checker.processes = 3",
        ),
        (
            {
                "interactive": True,
                "checker": {"protocol": "testlib", "source": "x", "limits": {"time_s": 100}},
            },
            {},
            LimitTooHigh,
            "checker.checker.limits.time_s",
        ),
        (
            {"interactive": True, "checker": {"protocol": "testlib", "source": "x" * 2048}},
            {"max_checker_kb": 1},
            PayloadTooLarge,
            "checker.checker.source",
        ),
    ],
)
def test_the_gateway_caps_a_checker(
    fields: dict[str, Any], settings: dict[str, Any], error: type[Exception], words: str
) -> None:
    testset = StdioTestSet(cases=CASES, checker=checker(**fields))
    with pytest.raises(error, match=words):
        check_testset(testset, caps(**settings))


def test_a_checker_within_the_caps_passes() -> None:
    testset = StdioTestSet(cases=CASES, checker=checker(files={"testlib.h": "x" * 200_000}))
    check_testset(testset, caps())
    interactor = checker(interactive=True, protocol="kattis")
    check_testset(StdioTestSet(cases=CASES, checker=interactor), caps())  # graded now
    with pytest.raises(ValueError, match="an interactor follows"):
        checker(interactive=True, protocol="python", language="python")
    assert CheckerProtocol("kattis") and Language("cpp")
