"""Pure parts of the gateway: caps, SandboxFusion mapping, intake keys, settings, wake-ups."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from crucible.schema import (
    CompileOutput,
    Language,
    Limits,
    RunCodeRequest,
    RunOutcome,
    RunResult,
    StdioCase,
    StdioTestSet,
    Submission,
)
from crucible.schema import testset_hash as sha256_of
from server import contract
from server.contract import GRADE_TASK, QueuedJob
from service.errors import (
    ERROR_CODES,
    LimitTooHigh,
    PayloadTooLarge,
    TooManyTests,
    UnsupportedRequest,
)
from service.gateway import Intake, envelope, is_error
from service.limits import check_submission
from service.notify import Notifier
from service.sandbox_fusion import to_response, to_run_request
from service.settings import GatewaySettings
from service.waiting import collect
from workers.queue.settings import WorkerSettings

TESTS = StdioTestSet(cases=[StdioCase(input="1\n", output="1\n")])
CAPS = GatewaySettings(max_time_s=10, max_code_kb=1, max_tests=2, max_memory_mb=1024)


def test_caps() -> None:
    check_submission(Submission(code="x", tests=TESTS), CAPS)
    with pytest.raises(LimitTooHigh, match="time_s"):
        check_submission(Submission(code="x", tests=TESTS, limits=Limits(time_s=11)), CAPS)
    with pytest.raises(LimitTooHigh, match="memory_mb"):
        check_submission(Submission(code="x", tests=TESTS, limits=Limits(memory_mb=2048)), CAPS)
    with pytest.raises(PayloadTooLarge):
        check_submission(Submission(response="y" * 1025, tests=TESTS), CAPS)
    with pytest.raises(TooManyTests):
        check_submission(Submission(code="x", tests=StdioTestSet(cases=[TESTS.cases[0]] * 3)), CAPS)


def test_inline_tests_become_a_registered_hash_with_the_same_key() -> None:
    inline = Submission(code="print(1)", tests=TESTS)
    intake = Intake()
    job = intake.add(inline)
    assert job.submission is not None and job.submission.tests is None
    assert job.submission.testset == sha256_of(TESTS)
    assert job.key == inline.content_key()
    assert job.timeout_s == contract.job_timeout_s(2 * inline.limits.total_time_s)
    stored = StdioTestSet.model_validate_json(intake.new_testsets[sha256_of(TESTS)])
    assert sha256_of(stored) == sha256_of(TESTS)
    by_hash = Submission(code="print(1)", testset=sha256_of(TESTS))
    assert Intake().add(by_hash).key == job.key


def test_a_queued_job_carries_exactly_its_own_work() -> None:
    with pytest.raises(ValidationError):
        QueuedJob(key="a" * 64, task=GRADE_TASK, timeout_s=10)
    with pytest.raises(ValidationError, match="by hash"):
        QueuedJob(
            key="a" * 64,
            task=GRADE_TASK,
            timeout_s=10,
            submission=Submission(code="x", tests=TESTS),
        )


def test_stored_results_are_served_verbatim() -> None:
    body = json.loads(envelope("k" * 64, b'{"status":"graded","reward":1}'))
    assert body == {"id": "k" * 64, "state": "done", "result": {"status": "graded", "reward": 1}}
    assert is_error(b'{"status":"error","reward":null}')
    assert is_error(b'{"outcome":"error"}')
    assert not is_error(b'{"status":"graded","reward":0}')


def test_sandbox_fusion_request_mapping() -> None:
    settings = GatewaySettings()
    run = to_run_request(
        RunCodeRequest(code="print(1)", language="python", run_timeout=3, memory_limit_MB=256),
        settings,
    )
    assert (run.limits.time_s, run.limits.wall_time_s, run.limits.memory_mb) == (3, 3, 256)
    default = to_run_request(RunCodeRequest(code="x", language="python3", stdin=None), settings)
    assert default.limits.memory_mb == Limits().memory_mb and default.stdin == ""
    cpp = to_run_request(RunCodeRequest(code="int main(){}", language="cpp"), settings)
    assert cpp.language == Language.cpp
    assert to_run_request(RunCodeRequest(code="x", language="c"), settings).language == Language.c
    assert to_run_request(RunCodeRequest(code="x", language="java"), settings).language == "java"
    node = to_run_request(RunCodeRequest(code="x", language="nodejs"), settings)
    assert node.language == Language.javascript
    assert to_run_request(RunCodeRequest(code="x", language="go"), settings).language == "go"
    with pytest.raises(UnsupportedRequest, match="'cobol' is not run here; use c, cpp, go, java"):
        to_run_request(RunCodeRequest(code="x", language="cobol"), settings)
    extra = RunCodeRequest.model_validate({"code": "x", "language": "python", "new_field": 1})
    assert extra.code == "x"  # unknown fields are ignored, as SandboxFusion does


def test_a_failed_build_is_a_failed_response_with_the_compiler_messages() -> None:
    compiled = CompileOutput(ok=False, exit_code=1, output="main.cpp:1: error", time_s=0.2)
    failed = to_response(
        RunResult(outcome=RunOutcome.compile_error, compile=compiled, runtime="g++ 12")
    )
    assert failed.status == "Failed" and failed.run_result is None
    assert failed.compile_result is not None
    assert failed.compile_result.status == "Finished"
    assert (failed.compile_result.return_code, failed.compile_result.stderr) == (
        1,
        "main.cpp:1: error",
    )
    slow = CompileOutput(ok=False, timed_out=True, exit_code=137, output="took too long")
    late = to_response(RunResult(outcome=RunOutcome.compile_error, compile=slow))
    assert late.compile_result is not None
    assert late.compile_result.status == "TimeLimitExceeded"
    built = CompileOutput(ok=True, exit_code=0, cached=True)
    ran = to_response(
        RunResult(outcome=RunOutcome.finished, exit_code=0, stdout="5\n", compile=built)
    )
    assert ran.status == "Success" and ran.compile_result is not None
    assert ran.run_result is not None and ran.run_result.stdout == "5\n"


def test_sandbox_fusion_response_mapping() -> None:
    ok = to_response(RunResult(outcome=RunOutcome.finished, exit_code=0, stdout="1\n", wall_s=0.1))
    assert ok.status == "Success" and ok.run_result is not None
    assert (ok.run_result.status, ok.run_result.stdout, ok.run_result.return_code) == (
        "Finished", "1\n", 0
    )  # fmt: skip
    killed = to_response(RunResult(outcome=RunOutcome.finished, signal=9))
    assert killed.status == "Failed" and killed.run_result is not None
    assert killed.run_result.return_code == -9
    slow = to_response(RunResult(outcome=RunOutcome.time_limit, signal=9))
    assert slow.status == "Failed" and slow.run_result is not None
    assert slow.run_result.status == "TimeLimitExceeded"
    from crucible.schema import ErrorBody

    broken = to_response(
        RunResult(outcome=RunOutcome.error, error=ErrorBody(code="jail_failed", message="boom"))
    )
    assert broken.status == "SandboxError" and broken.message == "boom"


def test_tokens_from_env_and_secret_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRUCIBLE_API_TOKENS", " a, b ,")
    assert [t.get_secret_value() for t in GatewaySettings().api_tokens] == ["a", "b"]
    monkeypatch.delenv("CRUCIBLE_API_TOKENS")
    (tmp_path / "api_tokens").write_text("c\nd\n")
    (tmp_path / "redis_password").write_text("s3cret")
    from_files = GatewaySettings(_secrets_dir=tmp_path)  # type: ignore[call-arg]
    assert [t.get_secret_value() for t in from_files.api_tokens] == ["c", "d"]
    assert from_files.redis_password is not None
    assert from_files.redis_password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(from_files)


def test_worker_settings_keep_the_heartbeat_inside_the_lease() -> None:
    with pytest.raises(ValidationError):
        WorkerSettings(lease_ttl_s=2, heartbeat_s=1.5)
    assert WorkerSettings(lease_ttl_s=2, heartbeat_s=0.5).max_attempts == 3


def test_error_codes_are_a_closed_set() -> None:
    assert {"invalid_request", "queue_full", "redis_unavailable", "unknown_testset"} <= set(
        ERROR_CODES
    )


def test_a_published_key_wakes_only_its_watchers() -> None:
    async def scenario() -> None:
        notifier = Notifier(connection=None)  # type: ignore[arg-type]
        with notifier.watch(["a", "b"]) as first, notifier.watch(["c"]) as second:
            notifier._dispatch(b"a")
            fired, resync = await first.next(timeout=1)
            assert (fired, resync) == ({"a"}, False)
            assert await second.next(timeout=0.01) == (set(), False)
            notifier._wake_all()
            assert (await second.next(timeout=1))[1] is True
        assert notifier._watches == {}

    asyncio.run(scenario())


class CountingStore:
    """GatewayStore.values over a dict, counting round trips."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.reads = 0

    async def values(self, keys: list[str]) -> list[bytes | None]:
        self.reads += 1
        return [self.data.get(k) for k in keys]


def test_a_long_poll_reads_announced_results_together_not_one_by_one() -> None:
    async def scenario() -> tuple[dict[str, bytes], int]:
        store = CountingStore()
        notifier = Notifier(connection=None)  # type: ignore[arg-type]
        pending = {f"k{i}": f"r{i}" for i in range(100)}

        async def workers() -> None:
            await asyncio.sleep(0.01)
            for i in range(100):
                store.data[f"r{i}"] = b"%d" % i  # stored, then announced, as a worker does
                notifier._dispatch(f"k{i}".encode())
                await asyncio.sleep(0)

        task = asyncio.create_task(workers())
        known = await collect(
            store,  # type: ignore[arg-type]
            notifier,
            pending,
            {},
            enough=lambda done: len(done) >= 100,
            timeout=5,
        )
        await task
        return known, store.reads

    known, reads = asyncio.run(scenario())
    assert known == {f"k{i}": b"%d" % i for i in range(100)}
    assert reads <= 3  # the first look, then the announced ones at once (not 100 reads)


def test_a_long_poll_does_not_trust_an_announcement_it_cannot_read() -> None:
    async def scenario() -> dict[str, bytes]:
        store = CountingStore()
        notifier = Notifier(connection=None)  # type: ignore[arg-type]

        async def worker() -> None:
            await asyncio.sleep(0.01)
            notifier._dispatch(b"k")  # announced, but its result is not there (yet)
            await asyncio.sleep(0.05)
            store.data["r"] = b"late"
            notifier._wake_all()  # a resync reads everything still outstanding

        task = asyncio.create_task(worker())
        known = await collect(
            store,  # type: ignore[arg-type]
            notifier,
            {"k": "r"},
            {},
            enough=bool,
            timeout=5,
        )
        await task
        return known

    assert asyncio.run(scenario()) == {"k": b"late"}
