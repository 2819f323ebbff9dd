"""Score programs through verl's own SandboxFusion client, unchanged, against a /run_code URL.

Runs in .venv-verl (`make verl-venv`: verl 0.9.1 with --no-deps, and requests).  verl's
package __init__ imports its training stack (torch, ray, tensordict), which the client never
uses, so the parent packages are entered as bare namespaces and verl's real
`verl/utils/reward_score/sandbox_fusion` package (its __init__ and utils.py) is imported
as shipped: `compute_score` -> `check_correctness` -> `call_sandbox_api`, retries included.
Prints one JSON line: each program's score, its cases' statuses, the wall time, and the
HTTP timeout verl's client used.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PROGRAM = "```python\n# sample {index} {nonce}\na, b = map(int, input().split())\nprint(a + b)\n```"
CASES = {"inputs": ["2 3\n"], "outputs": ["5\n"]}


def verl_sandbox_fusion() -> types.ModuleType:
    spec = importlib.util.find_spec("verl")  # finds, does not import
    if spec is None or not spec.submodule_search_locations:
        sys.exit("verl is not installed here: run `make verl-venv`")
    root = Path(next(iter(spec.submodule_search_locations)))
    for name, folder in (
        ("verl", root),
        ("verl.utils", root / "utils"),
        ("verl.utils.reward_score", root / "utils" / "reward_score"),
    ):
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    return importlib.import_module("verl.utils.reward_score.sandbox_fusion")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="the /run_code URL")
    parser.add_argument("--programs", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=10, help="verl's per-case timeout")
    parser.add_argument("--max-concurrent", type=int, default=64)
    parser.add_argument("--nonce", default="")
    args = parser.parse_args()
    sandbox_fusion = verl_sandbox_fusion()
    semaphore = threading.Semaphore(args.max_concurrent)  # verl's sandbox_fusion.max_concurrent

    def score(index: int) -> tuple[float, list[Any]]:
        completion = PROGRAM.format(index=index, nonce=args.nonce)
        return sandbox_fusion.compute_score(
            args.url, semaphore, 1024, completion, json.dumps(CASES), timeout=args.timeout
        )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.programs) as pool:
        results = list(pool.map(score, range(args.programs)))
    api_timeout = sandbox_fusion.utils.API_TIMEOUT
    report = {
        "scores": [s for s, _ in results],
        "statuses": [[case.get("status") for case in meta] for _, meta in results],
        "errors": [[case.get("api_request_error") for case in meta] for _, meta in results],
        "elapsed_s": round(time.monotonic() - started, 2),
        "client_timeout_s": 2 * args.timeout + api_timeout,
        "max_retries": sandbox_fusion.utils.MAX_RETRIES,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
