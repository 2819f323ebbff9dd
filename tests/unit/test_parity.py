"""The parity check's own parts, without a jail: observables, comparison, the expected list,
samples, the bare runner and the report (issue 13)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.doc import PARITY_SECTION, SERVICE_SECTION
from bench.parity.bare import jail_environment, run_bare
from bench.parity.check import ParityResults
from bench.parity.probe import (
    EXPECTED_DIFFERENCES,
    PROBES_DIR,
    ExpectedDifference,
    Probe,
    ProbeOutcome,
    compare,
    load_probes,
    normalise,
    stdout_observables,
)
from bench.parity.programs import (
    BENCH_SAMPLE,
    EXPECTED_VERDICTS,
    TEST_SAMPLE,
    ProgramOutcome,
    pick,
)
from bench.parity.report import render_section, summary, write_parity_report
from bench.report import write_report
from workers.judge.settings import JudgeSettings

PROBE = Probe("demo", "a demo", "print('x=1')\n", b"")


def test_stdout_lines_become_named_observables() -> None:
    seen = stdout_observables("a=1\nplain text\na=2\nb='x=y'\n")
    assert seen["stdout a"] == "1"
    assert seen["stdout a #2"] == "2"
    assert seen["stdout line 2"] == "plain text"
    assert seen["stdout b"] == "'x=y'"
    # The digest tells a missing final newline apart, which the lines alone do not.
    assert (
        stdout_observables("a=1")["stdout digest"] != stdout_observables("a=1\n")["stdout digest"]
    )


def test_stderr_is_compared_without_the_program_path_or_addresses() -> None:
    bare = 'File "/tmp/crucible-bare-x1/program/main.py", line 3\n<function f at 0x7f3a2b1c>\n'
    jail = 'File "/code/main.py", line 3\n<function f at 0x7ffe00112233>\n'
    assert normalise(bare) == normalise(jail) == 'File "main.py", line 3\n<function f at 0x?>\n'
    assert normalise("/tmp/x/main.py:9: UserWarning") == "main.py:9: UserWarning"
    assert "/crucible/harness.py" in normalise('File "/crucible/harness.py", line 516')


def test_compare_reports_every_difference_and_absent_lines() -> None:
    bare = {"stdout depth": "1000", "stdout extra": "1", "ended": "exit 0"}
    jail = {"stdout depth": "989", "ended": "exit 0", "stdout new": "2"}
    outcome = compare(PROBE, bare, jail, expected=())
    found = {(d.observable, d.bare, d.jail) for d in outcome.differences}
    assert found == {
        ("stdout depth", "1000", "989"),
        ("stdout extra", "1", "<absent>"),
        ("stdout new", "<absent>", "2"),
    }
    assert outcome.compared == 4 and not outcome.agrees


def test_an_expected_difference_carries_its_reason_and_its_summaries_follow() -> None:
    expected = (ExpectedDifference("demo", "stdout limit", "on purpose"),)
    bare = {"stdout limit": "1000", "stdout digest": "a", "verdict": "passed", "ended": "exit 0"}
    jail = {
        "stdout limit": "99",
        "stdout digest": "b",
        "verdict": "wrong_answer",
        "ended": "exit 0",
    }
    outcome = compare(PROBE, bare, jail, expected=expected)
    assert outcome.agrees and not outcome.unexpected
    reasons = {d.observable: d.expected for d in outcome.differences}
    assert reasons["stdout limit"] == "on purpose"
    assert reasons["verdict"] and reasons["stdout digest"]  # they follow from it


def test_summaries_are_not_excused_beside_an_unexpected_difference() -> None:
    expected = (ExpectedDifference("demo", "stdout limit", "on purpose"),)
    bare = {"stdout limit": "1", "stdout other": "1", "verdict": "passed"}
    jail = {"stdout limit": "2", "stdout other": "2", "verdict": "wrong_answer"}
    outcome = compare(PROBE, bare, jail, expected=expected)
    assert {d.observable for d in outcome.unexpected} == {"stdout other", "verdict"}


def test_an_expected_difference_that_no_longer_shows_is_stale() -> None:
    expected = (ExpectedDifference("demo", "stdout limit", "on purpose"),)
    outcome = compare(PROBE, {"stdout limit": "1"}, {"stdout limit": "1"}, expected=expected)
    assert outcome.stale == ("stdout limit",) and not outcome.agrees


def test_probes_load_with_their_exact_stdin_and_an_about_line() -> None:
    probes = {p.name: p for p in load_probes()}
    assert len(probes) >= 30
    assert all(p.about and p.source for p in probes.values())
    assert probes["stdin_crlf"].stdin.count(b"\r\n") == 4
    assert b"\xff" in probes["stdin_buffer_invalid_utf8"].stdin
    assert not probes["stdin_no_trailing_newline"].stdin.endswith(b"\n")
    for expected in EXPECTED_DIFFERENCES:
        assert expected.probe in probes
    assert all((PROBES_DIR / name / "main.py").is_file() for name in probes)


def test_the_bare_environment_is_the_jails() -> None:
    settings = JudgeSettings()
    env = jail_environment(settings.profiles_dir / "python.cfg")
    assert env["PYTHONHASHSEED"] == "0" and env["HOME"] == "/tmp"
    assert set(env) >= {"PATH", "LANG", "LC_ALL", "PYTHONIOENCODING", "OPENBLAS_NUM_THREADS"}


def test_a_bare_run_gets_its_stdin_bytes_and_a_scratch_folder() -> None:
    settings = JudgeSettings(python_path=sys.executable)
    source = (
        "import os, sys\n"
        "data = sys.stdin.buffer.read()\n"
        "print(repr(data), os.listdir('.'), os.path.basename(sys.argv[0]),"
        " os.getcwd() != os.path.dirname(os.path.abspath(__file__)))\n"
        "sys.exit(4)\n"
    )
    run = run_bare(source, b"a\r\n\xff", settings=settings, timeout_s=30)
    assert run.stdout == b"b'a\\r\\n\\xff' [] main.py True\n"
    assert run.ended == "exit 4"


def test_samples_are_seeded_and_capped() -> None:
    rows = list(range(100))
    assert pick(rows, 5, "x") == pick(rows, 5, "x")
    assert pick(rows, 5, "x") != pick(rows, 5, "y")
    assert pick(rows, None, "x") == list(enumerate(rows))
    assert BENCH_SAMPLE.capped(3).humaneval == 3 and BENCH_SAMPLE.capped(None) == BENCH_SAMPLE
    assert TEST_SAMPLE.capped(10).leetcode_train == 0


def test_a_program_agrees_only_when_the_jail_scores_bares_verdict() -> None:
    def outcome(
        bare: bool, reward: int | None, *, flaky: bool = False, graded: bool = True
    ) -> ProgramOutcome:
        return ProgramOutcome("p", "set", bare, flaky, reward, "", graded)

    assert outcome(True, 1).agrees and outcome(False, 0).agrees
    assert not outcome(True, 0).agrees and not outcome(False, 1).agrees
    assert not outcome(True, None).agrees  # a judge fault is no agreement
    assert outcome(True, 0, flaky=True).agrees  # flaky bare: left out
    assert outcome(True, None, graded=False).agrees
    excused = ProgramOutcome("p", "mbpp_plus_calls", True, False, 0, "", expected="on purpose")
    assert excused.agrees


def test_expected_verdicts_are_narrow_and_give_reasons() -> None:
    for expected in EXPECTED_VERDICTS:
        assert expected.dataset and len(expected.message) > 20 and len(expected.reason) > 40


def _results() -> ParityResults:
    bare = {"stdout depth": "1000", "stdout recursionlimit": "1000", "stdout digest": "a"}
    jail = {"stdout depth": "989", "stdout recursionlimit": "1048576", "stdout digest": "b"}
    probe = Probe("runtime_defaults", "defaults", "", b"")
    programs = (
        ProgramOutcome("humaneval/1", "humaneval", True, False, 1),
        ProgramOutcome("humaneval/2", "humaneval", True, False, 0, "jail: test 0 runtime_error"),
        ProgramOutcome("kattis/x", "kattis", False, True, 0),
    )
    outcome = compare(probe, bare, jail)
    return ParityResults((outcome, ProbeOutcome("other", "x", 3)), programs, TEST_SAMPLE, 12.0)


def test_the_report_lists_differences_disagreements_and_the_expected_list() -> None:
    results = _results()
    text = render_section(results)
    assert text.startswith(PARITY_SECTION)
    assert "| runtime_defaults | stdout depth | '1000' | '989' |" in text
    assert "stdout digest" not in text  # the line that differs says it
    assert "stdout recursionlimit" not in text.split("### Expected")[0].split("### Probe")[1]
    assert "| humaneval | 2 | 1 | 0 | 1 | 0 | 0 | 0 | 0 |" in text
    assert "**humaneval/2**: passed bare, 0 in jail" in text
    assert "flaky bare: kattis/x" in text
    for expected in EXPECTED_DIFFERENCES:
        assert f"`{expected.probe}` / `{expected.observable}`" in text
    numbers = summary(results)
    assert [(d["observable"], d["bare"], d["jail"]) for d in numbers["probes"]["differences"]] == [
        ("stdout depth", "'1000'", "'989'"),
        ("stdout digest", "'a'", "'b'"),
    ]
    assert [p["name"] for p in numbers["programs"]["disagreements"]] == ["humaneval/2"]
    assert numbers["programs"]["by_dataset"]["kattis"] == {"programs": 1, "flaky bare": 1}


def test_the_report_is_spliced_in_and_kept_by_the_judge_benchs_rewrite(tmp_path: Path) -> None:
    (tmp_path / "benchmarks.md").write_text(
        f"# Benchmarks\n\n## Results per dataset\n\nx\n\n{SERVICE_SECTION}\n\ns\n\n"
        "## How to rerun\n\nmake bench\n"
    )
    (tmp_path / "bench-results.json").write_text(json.dumps({"workers": 2, "datasets": []}))
    write_parity_report(_results(), tmp_path)
    text = (tmp_path / "benchmarks.md").read_text()
    assert text.index(SERVICE_SECTION) < text.index(PARITY_SECTION) < text.index("## How to")
    raw = json.loads((tmp_path / "bench-results.json").read_text())
    assert raw["workers"] == 2 and raw["parity"]["programs"]["count"] == 3
    # A later run of the judge benchmark rewrites both files and keeps the parity parts.
    from tests.unit.test_bench_report import _result
    from tests.unit.test_bench_report import _results as bench_results

    write_report(bench_results(_result("a", 1.0, 2.0)), tmp_path)
    assert PARITY_SECTION in (tmp_path / "benchmarks.md").read_text()
    assert json.loads((tmp_path / "bench-results.json").read_text())["parity"] == raw["parity"]
