"""An in-memory Crucible gateway behind httpx.MockTransport, for client tests without services.

What a program "does" is written in its code: `ok` passes, `bad` is a wrong answer, `fault`
is a judge fault, `flaky` is a retryable judge fault the first time it runs.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import httpx

from crucible.schema import (
    BatchRequest,
    ErrorBody,
    RewardResult,
    Status,
    Submission,
    TestResult,
    Verdict,
    testset_hash,
)
from crucible.schema import TestSet as TestSetModel


def error(status: int, code: str, *, retryable: bool = False, **headers: str) -> httpx.Response:
    body = {"error": {"code": code, "message": f"{code} for a test", "retryable": retryable}}
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class FakeGateway:
    max_batch: int = 10_000
    reveal_per_poll: int | None = None  # results that become visible per GET; None: all
    release: threading.Event | None = None  # GETs report nothing done until it is set
    testsets: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: dict[str, list[str]] = field(default_factory=dict)
    submissions: dict[str, Submission] = field(default_factory=dict)
    graded: Counter[str] = field(default_factory=Counter)
    visible: dict[str, int] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    headers: list[httpx.Headers] = field(default_factory=list)
    params: list[dict[str, str]] = field(default_factory=list)
    injected: deque[tuple[str, httpx.Response | Exception]] = field(default_factory=deque)

    def fail_next(self, what: str, response: httpx.Response | Exception) -> None:
        """The next request whose "METHOD /path" starts with `what` gets `response`."""
        self.injected.append((what, response))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def count(self, method: str, prefix: str = "/") -> int:
        return sum(1 for m, p in self.calls if m == method and p.startswith(prefix))

    # -- the API ---------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        self.calls.append((method, path))
        self.bodies.append(request.content)
        self.headers.append(request.headers)
        self.params.append(dict(request.url.params))
        for index, (what, response) in enumerate(self.injected):
            if f"{method} {path}".startswith(what):
                del self.injected[index]
                if isinstance(response, Exception):
                    raise response
                return response
        if path.startswith("/v1/testsets/"):
            return self._testset(method, path.rsplit("/", 1)[1], request)
        if path == "/v1/batches" and method == "POST":
            return self._post_batch(request)
        if path.startswith("/v1/batches/") and method == "GET":
            return self._get_batch(path.rsplit("/", 1)[1])
        return error(404, "not_found")

    def _testset(self, method: str, sha: str, request: httpx.Request) -> httpx.Response:
        if method == "HEAD":
            return httpx.Response(200 if sha in self.testsets else 404)
        body = json.loads(request.content)
        created = sha not in self.testsets
        self.testsets[sha] = body
        info = {"sha256": sha, "kind": body["kind"], "tests": 1, "created": created}
        return httpx.Response(201 if created else 200, json=info)

    def _post_batch(self, request: httpx.Request) -> httpx.Response:
        batch = BatchRequest.model_validate_json(request.content)
        if len(batch.submissions) > self.max_batch:
            return error(422, "batch_too_large")
        if any(s.testset not in self.testsets for s in batch.submissions if s.testset):
            return error(422, "unknown_testset")
        keys = []
        for submission in batch.submissions:
            key = submission.content_key()
            if key not in self.submissions or self._stale(key):
                self.graded[key] += 1
            self.submissions[key] = submission
            keys.append(key)
        batch_id = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        self.batches[batch_id] = keys
        self.visible[batch_id] = 0
        return httpx.Response(202, json={"id": batch_id, "total": len(keys), "cached": 0})

    def _get_batch(self, batch_id: str) -> httpx.Response:
        keys = self.batches.get(batch_id)
        if keys is None:
            return error(404, "not_found")
        if self.release is not None and not self.release.is_set():
            shown = 0
        else:
            step = self.reveal_per_poll or len(keys)
            shown = self.visible[batch_id] = min(len(keys), self.visible[batch_id] + step)
        results = [self.result(k).model_dump(mode="json") for k in keys[:shown]]
        results += [None] * (len(keys) - shown)
        body = {"id": batch_id, "total": len(keys), "done": shown, "results": results}
        return httpx.Response(200, json=body)

    # -- grading by what the code says -----------------------------------------------------
    def _stale(self, key: str) -> bool:
        return self.result(key).status == Status.error

    def result(self, key: str) -> RewardResult:
        code = self.submissions[key].code or ""
        if "fault" in code or ("flaky" in code and self.graded[key] < 2):
            retryable = "flaky" in code
            body = ErrorBody(code="jail_failed", message="the jail died", retryable=retryable)
            return RewardResult(status=Status.error, reward=None, error=body)
        passed = "ok" in code
        verdict = Verdict.passed if passed else Verdict.wrong_answer
        return RewardResult(
            status=Status.graded,
            reward=1 if passed else 0,
            pass_fraction=1.0 if passed else 0.0,
            verdict=verdict,
            tests=[TestResult(index=0, verdict=verdict)],
        )


def registered(testset: TestSetModel) -> str:
    return testset_hash(testset)
