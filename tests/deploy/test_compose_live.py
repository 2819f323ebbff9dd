"""docker-compose.yml run for real: the images are built from deploy/docker/Dockerfile on the
local base image, Redis, the gateway and two workers come up, HumanEval and MBPP references
score 1 and wrong programs 0 through the client, every result arrives although a worker
container is SIGKILLed mid-batch, and `docker-compose down -v` leaves nothing behind.

Needs a Docker engine, docker-compose and mmdebstrap (deploy/docker/engine.sh installs and
starts them); a missing one fails the test, never skips it.  Image layers stay cached between
runs: a first build takes minutes, later ones seconds.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from crucible.client import RewardClient
from crucible.datasets import humaneval_submission, mbpp_submission, read_json, read_jsonl
from crucible.schema import Submission
from server.stack import free_port
from tests.deploy.conftest import DEPLOY, REPO

SCRIPTS = DEPLOY / "docker"
DATASETS = REPO.parent / "shared" / "datasets"
TAG = "live-test"
SECRETS = ("redis_password", "api_tokens", "grafana_admin_password")
# Slow programs first, so the kill lands while every worker process is inside a job.
SLOW_S = 1.5
SLOW = """import sys, time
time.sleep({sleep})  # job {index}
a, b = map(int, sys.stdin.read().split())
print(a {op} b)
"""
REAPED = re.compile(r"reaper: (\d+) job\(s\) re-enqueued")


def docker_client() -> str:
    """Debian's client where it is installed: a newer one earlier on PATH may not speak the
    engine's API version."""
    found = "/usr/bin/docker" if Path("/usr/bin/docker").is_file() else shutil.which("docker")
    if found is None:
        pytest.fail("no docker client: run deploy/docker/engine.sh (as root)")
    return found


def compose_tool() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        pytest.fail("docker-compose is missing: run deploy/docker/engine.sh (as root)")
    return found


def sh(
    argv: list[str], *, timeout: float, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


@dataclass(frozen=True)
class Project:
    """One compose project: its own name, host port, secrets folder and override file."""

    name: str
    port: int
    secrets_dir: Path
    override: Path
    token: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "CRUCIBLE_TAG": TAG,
            "CRUCIBLE_SECRETS_DIR": str(self.secrets_dir),
            "CRUCIBLE_GATEWAY_PORT": str(self.port),
        }

    def compose(self, *args: str, timeout: float, check: bool = True) -> str:
        argv = [compose_tool(), "-p", self.name, "-f", str(REPO / "docker-compose.yml")]
        argv += ["-f", str(self.override), *args]
        return sh(argv, timeout=timeout, env=self.env(), check=check).stdout

    def leftovers(self) -> dict[str, list[str]]:
        """Containers, volumes and networks of this project still on the engine."""
        docker, label = docker_client(), f"label=com.docker.compose.project={self.name}"
        found = {
            "containers": sh([docker, "ps", "-aq", "--filter", label], timeout=30).stdout,
            "volumes": sh([docker, "volume", "ls", "-q", "--filter", label], timeout=30).stdout,
            "networks": sh([docker, "network", "ls", "-q", "--filter", label], timeout=30).stdout,
        }
        named = sh([docker, "volume", "ls", "-q"], timeout=30).stdout.split()
        named += sh([docker, "network", "ls", "--format", "{{.Name}}"], timeout=30).stdout.split()
        out = {kind: text.split() for kind, text in found.items()}
        out["named"] = [n for n in named if n.startswith(f"{self.name}_")]
        return {kind: items for kind, items in out.items() if items}


@pytest.fixture(scope="module")
def images() -> None:
    """The base image (skipped when present) and the redis, gateway and worker images."""
    answer = sh([docker_client(), "info"], timeout=30, check=False)
    if answer.returncode != 0:
        pytest.fail(f"no Docker engine answers (run deploy/docker/engine.sh):\n{answer.stderr}")
    env = {**os.environ, "CRUCIBLE_TAG": TAG, "CRUCIBLE_DOCKER": docker_client()}
    sh(["sh", str(SCRIPTS / "base-images.sh")], timeout=1200, env=env)
    sh(["sh", str(SCRIPTS / "build-images.sh")], timeout=3600, env=env)


@pytest.fixture
def project(images: None, tmp_path: Path) -> Iterator[Project]:
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir(mode=0o700)
    for name in SECRETS:
        # Compose bind-mounts secret files as they are: Redis (999) and the gateway (10001)
        # must read them.  Their folder stays 0700.
        (secrets_dir / name).write_text(secrets.token_hex(24) + "\n")
        (secrets_dir / name).chmod(0o644)
    # Two processes per worker container, whatever this machine's core count.
    override = tmp_path / "compose.override.yml"
    override.write_text(
        "services:\n  worker:\n    environment:\n      CRUCIBLE_WORKER_PROCESSES: '2'\n"
    )
    token = (secrets_dir / "api_tokens").read_text().strip()
    name = f"crucible-live-{uuid.uuid4().hex[:8]}"
    made = Project(name, free_port(), secrets_dir, override, token)
    try:
        yield made
    finally:
        # After a failure the test has not taken the stack down itself.
        made.compose("down", "-v", "--remove-orphans", "-t", "10", timeout=300, check=False)
        shutil.rmtree(secrets_dir, ignore_errors=True)


def wait_ready(project: Project, *, workers: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(f"{project.url}/readyz", timeout=5)
            last = (answer.status_code, answer.text)
            if answer.status_code == 200 and answer.json()["workers"] >= workers:
                return
        except httpx.TransportError as exc:
            last = exc
        time.sleep(1)
    logs = project.compose("logs", "--no-color", "--tail", "40", timeout=60, check=False)
    pytest.fail(f"gateway not ready with {workers} workers in {timeout_s}s: {last}\n{logs}")


def batch() -> tuple[list[Submission], list[int]]:
    """Slow stdio programs (right and wrong), then HumanEval and MBPP references and wrong
    programs, then a+b in every other language, with the reward each must get."""
    subs: list[Submission] = []
    expected: list[int] = []
    for index in range(16):
        right = index % 2 == 0
        code = SLOW.format(sleep=SLOW_S, index=index, op="+" if right else "-")
        tests = {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}
        subs.append(Submission.model_validate({"code": code, "tests": tests}))
        expected.append(1 if right else 0)
    humaneval = list(read_jsonl(DATASETS / "humaneval" / "HumanEval.jsonl.gz"))[:12]
    for index, row in enumerate(humaneval):
        wrong = index % 3 == 2
        completion = "    raise NotImplementedError\n" if wrong else None
        subs.append(humaneval_submission(row, completion=completion))
        expected.append(0 if wrong else 1)
    mbpp = read_json(DATASETS / "mbpp" / "sanitized-mbpp.json")[:12]
    for index, row in enumerate(mbpp):
        wrong = index % 3 == 2
        subs.append(mbpp_submission(row, code="pass\n" if wrong else None))
        expected.append(0 if wrong else 1)
    # Every other language, built and run by the worker image's own toolchains (Debian 13's
    # JDK keeps its configuration in /etc, bound into the jails).
    tests = {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}
    for language, code in ADD_IN.items():
        subs.append(Submission.model_validate({"language": language, "code": code, "tests": tests}))
        expected.append(1)
    return subs, expected


ADD_IN = {
    "c": '#include <stdio.h>\nint main(void){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}',
    "cpp": "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}",
    "java": "public class Main { public static void main(String[] x) { java.util.Scanner s = new"
    " java.util.Scanner(System.in); System.out.println(s.nextInt() + s.nextInt()); } }",
    "javascript": 'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(" ")'
    ".map(Number); console.log(a + b);",
    "rust": "use std::io::Read;\nfn main() { let mut s = String::new();"
    " std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> ="
    ' s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }',
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int\n\tfmt.Scan(&a, &b)\n'
    "\tfmt.Println(a + b)\n}\n",
    "pypy": "a, b = map(int, input().split())\nprint(a + b)",
}


@pytest.mark.timeout(2400)
def test_the_stack_grades_through_a_killed_worker_and_leaves_nothing(project: Project) -> None:
    project.compose("up", "-d", "--no-build", "--scale", "worker=2", timeout=300)
    wait_ready(project, workers=4, timeout_s=180)
    workers = project.compose("ps", "-q", "worker", timeout=60).split()
    assert len(workers) == 2

    subs, expected = batch()
    client = RewardClient(
        project.url, token=project.token, progress=False, poll_wait_s=1.0, deadline_s=300
    )
    with client:
        pending = client.submit(subs)
        deadline = time.monotonic() + 120
        while pending.done < 2:
            assert time.monotonic() < deadline, "no result within 120 s"
            time.sleep(0.1)
        # Half a slow job after results came in: both processes there are inside a job.
        time.sleep(SLOW_S / 3)
        done_at_kill = pending.done
        sh([docker_client(), "kill", "-s", "KILL", workers[0]], timeout=60)
        results = pending.result()

    assert done_at_kill < len(subs) - 4, "the kill came after the batch was nearly done"
    assert [r.status for r in results] == ["graded"] * len(subs)
    assert [r.reward for r in results] == expected
    logs = project.compose("logs", "--no-color", "worker", timeout=60)
    reaped = sum(int(n) for n in REAPED.findall(logs))
    assert reaped >= 1, "no job of the killed worker was re-run:\n" + logs[-4000:]
    # The jails' keeper works in the worker's container: fresh scratch mounts and the PID
    # counter rewound before every submission (`workers/judge/keeper.py`), no fallback.
    assert "not reset between submissions" not in logs, logs[-4000:]

    project.compose("down", "-v", "--remove-orphans", "-t", "30", timeout=300)
    shutil.rmtree(project.secrets_dir)
    assert project.leftovers() == {}
    assert not project.secrets_dir.exists()
