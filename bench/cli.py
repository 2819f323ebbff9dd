"""`crucible bench SUBCOMMAND`: one subcommand per benchmark, each with only its own flags.

`all` is what `make bench` runs (the judge against bare runs, the parity check, C and C++
against bare, and the service), into docs/benchmarks.md; `load` and `soak` write
docs/reliability.md; `client` times `grade_many` end to end.  The modules behind each load
when it runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bench.data import ALL, DEFAULT_DATASETS

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_bench_command(commands: Commands) -> None:
    bench = commands.add_parser("bench", help="benchmarks, from the repository (bench/)")
    subcommands = bench.add_subparsers(required=True, metavar="BENCHMARK")

    every = _add(subcommands, "all", _all, "the judge, the parity check, languages and the service")
    _limit_and_workers(every)
    judge = _add(subcommands, "judge", _judge, "the judge against the same programs run bare")
    judge.add_argument(
        "--dataset",
        default=",".join(ALL),
        help=f"comma-separated workloads (default: every one of {', '.join(ALL)})",
    )
    _limit_and_workers(judge)
    parity = _add(subcommands, "parity", _parity, "what a program observes, jailed against bare")
    _limit_and_workers(parity)
    languages = _add(
        subcommands, "languages", _languages, "every language against the same programs run bare"
    )
    _workers(languages)
    service = _add(subcommands, "service", _service, "the whole service against the judge alone")
    _workers(service)

    load = _add(subcommands, "load", _load, "a burst with backpressure (docs/reliability.md)")
    load.add_argument("--count", type=int, default=10_000, help="submissions in the burst")
    load.add_argument(
        "--max-queued", type=int, default=None, help="the gateway's 429 threshold (count/5)"
    )
    _workers(load)
    soak = _add(subcommands, "soak", _soak, "steady load, memory watched (docs/reliability.md)")
    soak.add_argument("--minutes", type=float, default=30.0, help="how long (default 30)")
    soak.add_argument("--rate", type=int, default=10, help="submissions/s (default 10)")
    _workers(soak)

    client = _add(subcommands, "client", _client, "grade_many end to end on an RL-sized step")
    _workers(client)
    client.add_argument("--problems", type=int, default=64, help="problems in the step")
    client.add_argument("--samples", type=int, default=16, help="samples per problem")
    client.add_argument("--tests", type=int, default=15, help="tests per problem")
    client.add_argument(
        "--language", default="python", choices=["python", "cpp"], help="the samples' language"
    )


def _add(subcommands: Commands, name: str, run: object, help_text: str) -> argparse.ArgumentParser:
    parser = subcommands.add_parser(name, help=help_text, description=help_text)
    parser.add_argument(
        "--out", type=Path, default=Path("docs"), help="folder for the report and plots"
    )
    parser.add_argument(
        "--datasets",
        type=Path,
        default=DEFAULT_DATASETS,
        help="the shared datasets folder (default: ../shared/datasets)",
    )
    parser.set_defaults(func=run)
    return parser


def _workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers", type=int, default=None, help="in parallel (default: one per core)"
    )


def _limit_and_workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=None, help="at most this many programs each")
    _workers(parser)


def _cores(args: argparse.Namespace) -> int:
    workers: int = args.workers or os.cpu_count() or 1
    return workers


def _all(args: argparse.Namespace) -> int:
    judge = _judge(args, names=ALL)
    parity = _parity(args)
    languages = _languages(args)
    service = _service(args)
    return judge or parity or languages or service


def _judge(args: argparse.Namespace, names: tuple[str, ...] | None = None) -> int:
    from bench.judge import run_bench

    chosen = names or tuple(n.strip() for n in args.dataset.split(",") if n.strip())
    return run_bench(
        names=chosen, limit=args.limit, workers=args.workers, out=args.out, datasets=args.datasets
    )


def _parity(args: argparse.Namespace) -> int:
    from bench.parity.run import run_parity_report

    return run_parity_report(
        workers=_cores(args), limit=args.limit, datasets=args.datasets, out=args.out
    )


def _languages(args: argparse.Namespace) -> int:
    from bench.languages import run_languages_report

    return run_languages_report(workers=_cores(args), out=args.out, datasets=args.datasets)


def _service(args: argparse.Namespace) -> int:
    from bench.service import run_service_report

    return run_service_report(workers=_cores(args), out=args.out)


def _load(args: argparse.Namespace) -> int:
    from bench.load import run_load_report

    return run_load_report(
        count=args.count,
        workers=_cores(args),
        max_queued=args.max_queued,
        out=args.out,
        datasets=args.datasets,
    )


def _soak(args: argparse.Namespace) -> int:
    from bench.soak import run_soak_report

    return run_soak_report(
        minutes=args.minutes,
        rate=args.rate,
        workers=_cores(args),
        out=args.out,
        datasets=args.datasets,
    )


def _client(args: argparse.Namespace) -> int:
    from bench.client import run_client_report
    from crucible.schema import Language

    return run_client_report(
        workers=_cores(args),
        problems=args.problems,
        samples=args.samples,
        tests=args.tests,
        out=args.out,
        language=Language(args.language),
    )
