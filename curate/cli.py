"""The `crucible curate` command: its flags (one per rule, DeepCoder's choices as defaults)
and the run."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from crucible.schema import Language
from curate.pipeline import DEFAULT_LANGUAGES
from curate.rules import Rules

EXIT_DONE = 0
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def add_curate_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    curate = commands.add_parser(
        "curate",
        help="grade a data set's reference solutions and keep the problems whose tests can be"
        " trusted (kept rows, rejected rows with reasons, a report)",
    )
    curate.add_argument("input", type=Path, help="a JSON/JSONL(.gz) data set or Kattis package(s)")
    curate.add_argument("--out", type=Path, required=True, help="output folder")
    where = curate.add_mutually_exclusive_group()
    where.add_argument("--url", default=None, help="grade through this service (CRUCIBLE_URL)")
    where.add_argument("--local", action="store_true", help="grade with the judge on this machine")
    _rule_flags(curate)
    curate.add_argument(
        "--languages",
        default=",".join(language.value for language in DEFAULT_LANGUAGES),
        help="reference languages to run, comma-separated, in order of preference"
        " (default: every language the judge runs, Python first)",
    )
    curate.add_argument(
        "--max-references",
        type=int,
        default=3,
        help="reference solutions graded per problem (default 3)",
    )
    curate.add_argument(
        "--batch",
        type=int,
        default=16,
        help="problems per grading batch, each one a resume point (default 16)",
    )
    curate.add_argument(
        "--sample", type=int, default=None, help="curate a deterministic sample of this many rows"
    )
    curate.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    curate.add_argument(
        "--workers", type=int, default=None, help="--local: grading threads (default: cores)"
    )
    curate.add_argument(
        "--fresh", action="store_true", help="ignore (delete) the state of an earlier run in --out"
    )
    curate.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    curate.set_defaults(func=run_curate)


def _rule_flags(parser: argparse.ArgumentParser) -> None:
    rules = parser.add_argument_group("rules (defaults: DeepCoder's)")
    rules.add_argument("--min-tests", type=int, default=5, help="fewest tests kept (5)")
    rules.add_argument(
        "--require",
        choices=("all", "any"),
        default="all",
        help="every reference passes every test, or at least one does (all)",
    )
    rules.add_argument(
        "--no-contradictions",
        action="store_true",
        help="do not single out tests most references contradict",
    )
    rules.add_argument(
        "--dedupe",
        choices=("both", "text", "tests", "none"),
        default="both",
        help="duplicates by normalised statement, test-set hash, both (both)",
    )
    rules.add_argument(
        "--time-margin",
        type=float,
        default=0.5,
        help="a reference over this share of the limit is flaky; 0: off (0.5)",
    )
    rules.add_argument(
        "--runs", type=int, default=2, help="gradings per reference; a verdict flip is flaky (2)"
    )
    rules.add_argument(
        "--no-weak-check",
        action="store_true",
        help="do not grade the trivial programs (print nothing, echo)",
    )
    rules.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="per-test CPU seconds instead of each row's own",
    )


def rules_from(args: argparse.Namespace) -> Rules:
    return Rules(
        min_tests=args.min_tests,
        require=args.require,
        contradictions=not args.no_contradictions,
        dedupe=args.dedupe,
        time_margin=args.time_margin,
        runs=args.runs,
        weak=not args.no_weak_check,
        time_limit=args.time_limit,
    )


def run_curate(args: argparse.Namespace) -> int:
    from curate.graders import Grader, LocalGrader, ServiceGrader
    from curate.pipeline import STATE_FILE, Options, curate
    from curate.state import StateMismatch

    try:
        languages = tuple(Language(name.strip()) for name in args.languages.split(","))
    except ValueError as exc:
        print(f"crucible curate: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.fresh:
        (args.out / STATE_FILE).unlink(missing_ok=True)
    options = Options(
        input=args.input,
        out=args.out,
        rules=rules_from(args),
        languages=languages,
        max_references=args.max_references,
        batch=args.batch,
        sample=args.sample,
        seed=args.seed,
        progress=not args.no_progress,
        command=shlex.join(["crucible", "curate", *sys.argv[2:]])
        if sys.argv[1:2] == ["curate"]
        else "",
    )
    grader: Grader = LocalGrader(workers=args.workers) if args.local else ServiceGrader(args.url)
    try:
        outcome = curate(options, grader)
    except (StateMismatch, ValueError, OSError) as exc:
        print(f"crucible curate: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("crucible curate: interrupted; the same command resumes", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        grader.close()
    print(
        f"kept {outcome.kept}, rejected {outcome.rejected}; report in {outcome.files['report_md']}"
    )
    return EXIT_DONE
