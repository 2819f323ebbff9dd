"""The `crucible` command: judge a submission here, or run and benchmark the service.

Server-side commands import the worker and gateway packages lazily, so a trainer that
installed only the client still gets a working `crucible --help`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

EXIT_GRADED = 0
EXIT_BAD_INPUT = 2
EXIT_JUDGE_ERROR = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    code: int = args.func(args)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crucible", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    judge = commands.add_parser("judge", help="grade one Submission JSON (file or stdin) in nsjail")
    judge.add_argument("file", nargs="?", type=Path, help="Submission JSON; stdin when omitted")
    judge.add_argument("--indent", type=int, default=None, help="pretty-print the result")
    judge.set_defaults(func=_judge)

    bench = commands.add_parser("bench", help="benchmark the judge against bare execution")
    bench.add_argument("--dataset", default="all", help="which dataset(s) to grade (default: all)")
    bench.add_argument(
        "--limit", type=int, default=None, help="at most this many programs per dataset"
    )
    bench.add_argument(
        "--workers", type=int, default=None, help="jails in parallel (default: one per core)"
    )
    bench.add_argument(
        "--out", type=Path, default=Path("docs"), help="folder for the report and plots"
    )
    bench.set_defaults(func=_bench)
    return parser


def _judge(args: argparse.Namespace) -> int:
    from crucible.schema import Status, Submission
    from workers.judge import Judge

    text = args.file.read_text() if args.file else sys.stdin.read()
    try:
        submission = Submission.model_validate_json(text)
    except ValidationError as exc:
        print(f"crucible judge: invalid submission:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = Judge().grade_or_error(submission)
    print(result.model_dump_json(indent=args.indent))
    return EXIT_GRADED if result.status == Status.graded else EXIT_JUDGE_ERROR


def _bench(args: argparse.Namespace) -> int:
    from workers.bench import run_bench

    return run_bench(dataset=args.dataset, limit=args.limit, workers=args.workers, out=args.out)


if __name__ == "__main__":
    sys.exit(main())
