"""The `crucible` command: judge a submission here, run the service, benchmark it, curate
a data set.

It belongs to the server (the `crucible-server` distribution): the client distribution has
no command line.  Each command imports what it runs when it runs, so `crucible --help` and a
worker's start stay light; `bench` exists where the repository's bench/ does (not in images).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

try:
    from bench import cli as bench_cli
except ImportError:  # the images carry no benchmarks
    bench_cli = None  # type: ignore[assignment]
try:
    from curate import cli as curate_cli
except ImportError:  # nor the curation pipeline
    curate_cli = None  # type: ignore[assignment]

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

    judge = commands.add_parser(
        "judge",
        help="grade one Submission JSON (file or stdin), or with --problem a program file"
        " against a Kattis package, in nsjail",
    )
    judge.add_argument(
        "file", nargs="?", type=Path, help="Submission JSON (stdin when omitted); the program"
    )
    judge.add_argument(
        "--problem", type=Path, metavar="DIR", help="a Kattis problem package: grade FILE on it"
    )
    judge.add_argument(
        "--language", default=None, help="the program's language (default: by its suffix)"
    )
    judge.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="CPU seconds per test where the package gives none (default 6)",
    )
    judge.add_argument(
        "--all-tests", action="store_true", help="run every test, not up to the first failure"
    )
    judge.add_argument("--indent", type=int, default=None, help="pretty-print the result")
    judge.set_defaults(func=_judge)

    if bench_cli is not None:
        bench_cli.add_bench_command(commands)
    if curate_cli is not None:
        curate_cli.add_curate_command(commands)
    _service_commands(commands)
    return parser


def _service_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run", help="start the local stack: Redis, the gateway and one worker per core"
    )
    run.add_argument("--host", default=None, help="gateway address (default CRUCIBLE_HOST)")
    run.add_argument("--port", type=int, default=None, help="gateway port (default CRUCIBLE_PORT)")
    run.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    run.add_argument("--redis-port", type=int, default=0, help="Redis port (default: a free one)")
    run.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="workers' metrics port (default CRUCIBLE_METRICS_PORT, else a free one)",
    )
    run.add_argument(
        "--data-dir", type=Path, default=None, help="Redis data (default .crucible/PORT)"
    )
    run.set_defaults(func=_run)

    gateway = commands.add_parser("gateway", help="serve the HTTP API")
    gateway.add_argument("--host", default=None, help="default CRUCIBLE_HOST or 127.0.0.1")
    gateway.add_argument("--port", type=int, default=None, help="default CRUCIBLE_PORT or 8000")
    gateway.add_argument("--redis-url", default=None, help="default CRUCIBLE_REDIS_URL")
    gateway.set_defaults(func=_gateway)

    worker = commands.add_parser("worker", help="run worker processes that grade queued jobs")
    worker.add_argument(
        "--processes", type=int, default=None, help="default CRUCIBLE_WORKER_PROCESSES or cores"
    )
    worker.add_argument("--redis-url", default=None, help="default CRUCIBLE_REDIS_URL")
    worker.add_argument(
        "--metrics-port", type=int, default=None, help="Prometheus port (default 9101; 0: off)"
    )
    worker.set_defaults(func=_worker)


def _given(**values: object) -> dict[str, object]:
    return {name: value for name, value in values.items() if value is not None}


def _judge(args: argparse.Namespace) -> int:
    from crucible.schema import Status, Submission
    from workers.judge.grade import Judge

    if args.problem is not None:
        return _judge_problem(args)
    text = args.file.read_text() if args.file else sys.stdin.read()
    try:
        submission = Submission.model_validate_json(text)
    except ValidationError as exc:
        print(f"crucible judge: invalid submission:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = Judge().grade_or_error(submission)
    print(result.model_dump_json(indent=args.indent))
    return EXIT_GRADED if result.status == Status.graded else EXIT_JUDGE_ERROR


def _judge_problem(args: argparse.Namespace) -> int:
    """`crucible judge --problem DIR PROGRAM`: the program file, in the language of its
    suffix, against a Kattis package read as it is (crucible.datasets)."""
    from crucible.datasets import language_of
    from crucible.kattis import PackageError, read_kattis_problem
    from crucible.schema import Language, Policy, Status
    from workers.judge.grade import Judge

    if args.file is None:
        print("crucible judge: --problem needs the program's file", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        problem = read_kattis_problem(args.problem, time_s=args.time_limit)
        language = Language(args.language) if args.language else language_of(args.file)
        code = args.file.read_text(encoding="utf-8")
    except (PackageError, OSError, ValueError) as exc:
        print(f"crucible judge: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if language is None:
        print(f"crucible judge: no language runs {args.file.suffix} files", file=sys.stderr)
        return EXIT_BAD_INPUT
    policy = Policy(stop_on_first_failure=not args.all_tests)
    result = Judge().grade_or_error(problem.submission(code, language=language, policy=policy))
    print(result.model_dump_json(indent=args.indent))
    for test in result.tests:
        if test.verdict not in ("passed", "skipped"):
            print(f"{problem.names[test.index]}: {test.verdict}: {test.message}", file=sys.stderr)
    return EXIT_GRADED if result.status == Status.graded else EXIT_JUDGE_ERROR


def _run(args: argparse.Namespace) -> int:
    from server.stack import StackConfig, free_port, run_stack
    from service.settings import gateway_settings
    from workers.judge.settings import judge_settings
    from workers.queue.settings import worker_settings

    gateway = gateway_settings(**_given(host=args.host, port=args.port))
    workers = worker_settings(
        **_given(worker_processes=args.workers, metrics_port=args.metrics_port)
    )
    # A metrics port nobody chose is one the kernel picks (printed at start), so stacks
    # started side by side never race for 9101; a chosen one that is taken is refused.
    chosen = "metrics_port" in workers.model_fields_set
    metrics_port = workers.metrics_port if chosen else free_port("")
    config = StackConfig(
        host=gateway.host,
        port=gateway.port,
        workers=workers.worker_processes,
        metrics_port=metrics_port,
        # One data folder per gateway port: stacks side by side never share Redis's files.
        data_dir=args.data_dir or Path(".crucible") / str(gateway.port),
        redis_port=args.redis_port,
        cgroup_root=judge_settings().cgroup_root,
    )
    return run_stack(config)


def _gateway(args: argparse.Namespace) -> int:
    from service.main import serve
    from service.settings import gateway_settings

    return serve(
        gateway_settings(**_given(host=args.host, port=args.port, redis_url=args.redis_url))
    )


def _worker(args: argparse.Namespace) -> int:
    from workers.queue.process import configure_logging
    from workers.queue.settings import worker_settings
    from workers.queue.supervisor import supervise

    settings = worker_settings(
        **_given(
            worker_processes=args.processes,
            redis_url=args.redis_url,
            metrics_port=args.metrics_port,
        )
    )
    configure_logging(settings.log_level)
    return supervise(settings, redis_url=args.redis_url)


if __name__ == "__main__":
    sys.exit(main())
