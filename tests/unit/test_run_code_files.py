"""/run_code's request side, without services: the wait before a 504, `files` and
`fetch_files` checked and normalised, and fetched files keyed as they were asked."""

from __future__ import annotations

import base64
import hashlib
import math

import pytest
from pydantic import ValidationError

from crucible.schema import (
    RunCodeRequest,
    RunOutcome,
    RunRequest,
    RunResult,
    canonical_json,
    normal_path,
)
from service.errors import InvalidPath, InvalidRequest, PayloadTooLarge, TooManyFiles
from service.sandbox_fusion import fetch_paths, to_response, to_run_request, wait_s
from service.settings import GatewaySettings

SETTINGS = GatewaySettings(run_code_max_files=3, run_code_files_kb=1)
# verl 0.9.1 (verl/utils/reward_score/sandbox_fusion/utils.py): its requests time out after
# compile_timeout + run_timeout + API_TIMEOUT, which is 10 s, and it retries a 504 only.
VERL_API_TIMEOUT_S = 10


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def request(**fields: object) -> RunCodeRequest:
    return RunCodeRequest.model_validate({"code": "print(1)", "language": "python", **fields})


@pytest.mark.parametrize("timeout", [1, 3, 10, 30])
def test_the_504_comes_before_verls_own_timeout(timeout: int) -> None:
    # verl's _process_single_case passes its one `timeout` as both compile and run timeout.
    asked = request(compile_timeout=timeout, run_timeout=timeout)
    verl_gives_up = 2 * timeout + VERL_API_TIMEOUT_S
    wait = wait_s(asked, GatewaySettings())
    assert wait == 2 * timeout + 5
    assert verl_gives_up - wait >= 5, "5 s for the round trip and the gateway's own work"
    assert wait > timeout, "an empty queue runs the program within the wait"


def test_the_wait_is_capped_and_ignores_a_nonsense_compile_timeout() -> None:
    capped = GatewaySettings(run_code_wait_s=12)
    assert wait_s(request(compile_timeout=100, run_timeout=10), capped) == 12
    assert wait_s(request(compile_timeout=math.inf, run_timeout=1), capped) == 12
    for nonsense in (-50, math.nan, 0):
        assert wait_s(request(compile_timeout=nonsense, run_timeout=2), GatewaySettings()) == 7
    margin = GatewaySettings(run_code_wait_margin_s=1)
    assert wait_s(request(compile_timeout=2, run_timeout=2), margin) == 5


def test_files_are_normalised_and_decoded_once() -> None:
    run = to_run_request(
        request(
            files={"./data.txt": b64(b"hi"), "sub//x.bin": b64(b"\0\1"), "skipped": None},
            fetch_files=["out.txt", "./out.txt", "sub/x.bin"],
        ),
        SETTINGS,
    )
    assert run.files == {"data.txt": b64(b"hi"), "sub/x.bin": b64(b"\0\1")}
    assert run.file_contents() == {"data.txt": b"hi", "sub/x.bin": b"\0\1"}
    assert run.fetch_files == ["out.txt", "sub/x.bin"]  # deduplicated, sorted: one job
    # base64 as SandboxFusion decodes it (line breaks skipped), stored canonical
    wrapped = to_run_request(request(files={"a": "aGVs\nbG8="}), SETTINGS)
    assert wrapped.files == {"a": b64(b"hello")}


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../up", "a/../../b", "", ".", "a/\0b", "x" * 256, "a/" * 16 + "b", "\ud800"],
)
def test_bad_paths_are_refused_with_invalid_path(path: str) -> None:
    with pytest.raises(InvalidPath):
        to_run_request(request(files={path: b64(b"x")}), SETTINGS)
    with pytest.raises(InvalidPath):
        to_run_request(request(fetch_files=[path]), SETTINGS)


def test_two_names_for_one_file_or_a_file_that_is_a_folder_are_refused() -> None:
    with pytest.raises(InvalidPath, match="same file"):
        to_run_request(request(files={"a": b64(b"1"), "./a": b64(b"2")}), SETTINGS)
    with pytest.raises(InvalidPath, match="file and a folder"):
        to_run_request(request(files={"a": b64(b"1"), "a/b": b64(b"2")}), SETTINGS)


def test_counts_sizes_and_base64_are_bounded() -> None:
    four = {f"f{i}": b64(b"x") for i in range(4)}
    with pytest.raises(TooManyFiles):
        to_run_request(request(files=four), SETTINGS)
    with pytest.raises(TooManyFiles):
        to_run_request(request(fetch_files=list(four)), SETTINGS)
    three_none = {**{f"f{i}": b64(b"x") for i in range(3)}, "gone": None}
    assert len(to_run_request(request(files=three_none), SETTINGS).files) == 3
    with pytest.raises(PayloadTooLarge):
        to_run_request(request(files={"a": b64(b"x" * 600), "b": b64(b"y" * 600)}), SETTINGS)
    with pytest.raises(InvalidRequest, match="base64"):
        to_run_request(request(files={"a": "abc"}), SETTINGS)


def test_a_queued_run_refuses_paths_the_gateway_would_not_send() -> None:
    for files in ({"../a": ""}, {"./a": ""}, {"a": "", "a/b": ""}):
        with pytest.raises(ValidationError):
            RunRequest(code="x", files=files)
    with pytest.raises(ValidationError):
        RunRequest(code="x", fetch_files=["a", "a"])
    assert normal_path("./a//b/./c") == "a/b/c"


def test_files_change_the_content_key_and_no_files_keep_the_old_one() -> None:
    bare = RunRequest(code="print(1)")
    before_files = {
        "op": "run",
        **bare.model_dump(mode="json", exclude={"files", "fetch_files", "standard"}),
    }
    assert bare.content_key() == hashlib.sha256(canonical_json(before_files)).hexdigest()
    with_file = RunRequest(code="print(1)", files={"a": b64(b"1")})
    other_file = RunRequest(code="print(1)", files={"a": b64(b"2")})
    fetching = RunRequest(code="print(1)", fetch_files=["a"])
    keys = {r.content_key() for r in (bare, with_file, other_file, fetching)}
    assert len(keys) == 4


def test_fetched_files_come_back_keyed_as_asked() -> None:
    asked = request(fetch_files=["./out.txt", "out.txt", "missing", "big"])
    result = RunResult(
        outcome=RunOutcome.finished,
        exit_code=0,
        files={"out.txt": b64(b"42")},
        files_left_out=["big"],
    )
    response = to_response(result, asked=fetch_paths(asked, GatewaySettings()))
    assert response.files == {"./out.txt": b64(b"42"), "out.txt": b64(b"42")}
    assert response.status == "Success" and "big" in response.message
    assert to_response(RunResult(outcome=RunOutcome.finished, exit_code=0)).files == {}
