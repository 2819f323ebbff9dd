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
    bench.add_argument(
        "--dataset",
        default="all",
        help="which dataset(s) to grade, `service` for the service against the judge, or"
        " `parity` for the jail against bare runs (default: all, both included); `load` (a"
        " burst with backpressure) or `soak` (steady load, memory watched) write"
        " docs/reliability.md instead",
    )
    bench.add_argument(
        "--limit", type=int, default=None, help="at most this many programs per dataset"
    )
    bench.add_argument(
        "--workers", type=int, default=None, help="jails in parallel (default: one per core)"
    )
    bench.add_argument(
        "--out", type=Path, default=Path("docs"), help="folder for the report and plots"
    )
    bench.add_argument(
        "--datasets", type=Path, default=None, help="datasets folder (default: ../shared/datasets)"
    )
    bench.add_argument("--count", type=int, default=10_000, help="load: submissions in the burst")
    bench.add_argument(
        "--max-queued", type=int, default=None, help="load: the gateway's 429 threshold (count/5)"
    )
    bench.add_argument("--minutes", type=float, default=30.0, help="soak: how long (default 30)")
    bench.add_argument("--rate", type=int, default=10, help="soak: submissions/s (default 10)")
    bench.set_defaults(func=_bench)
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
    if args.dataset in ("load", "soak"):
        return _reliability(args)
    from workers.bench import run_bench

    return run_bench(
        dataset=args.dataset,
        limit=args.limit,
        workers=args.workers,
        out=args.out,
        datasets=args.datasets,
    )


def _reliability(args: argparse.Namespace) -> int:
    import os

    from workers.bench_data import DEFAULT_DATASETS

    workers = args.workers or os.cpu_count() or 1
    datasets = args.datasets or DEFAULT_DATASETS
    if not datasets.is_dir():
        print(f"crucible bench: datasets folder {datasets} not found", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.dataset == "load":
        from workers.bench_load import run_load_report

        return run_load_report(
            count=args.count,
            workers=workers,
            max_queued=args.max_queued,
            out=args.out,
            datasets=datasets,
        )
    from workers.bench_soak import run_soak_report

    return run_soak_report(
        minutes=args.minutes, rate=args.rate, workers=workers, out=args.out, datasets=datasets
    )


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
