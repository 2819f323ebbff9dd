"""C and C++ through every door a user has: the HTTP API, /run_code as verl sends it, the
client and `crucible judge`; with the same verdict semantics as Python, and call and assert
tests refused for them with a clear 422."""

from __future__ import annotations

import subprocess
import sys
import uuid

import httpx
import pytest

from crucible.client import RewardClient
from crucible.schema import (
    CallCase,
    CallTestSet,
    Language,
    RewardResult,
    StdioCase,
    StdioTestSet,
    Submission,
)
from crucible.schema import testset_hash as sha256_of
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

ADD_CPP = (
    "#include <bits/stdc++.h>\n"
    "int main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n"
)
ADD_C = '#include <stdio.h>\nint main(void) { long long a, b; scanf("%lld %lld", &a, &b);'
ADD_C += ' printf("%lld\\n", a + b); return 0; }\n'
ADD_GO = (
    'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n'
    "\tfmt.Println(a + b)\n}\n"
)
TESTS = {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}


def unique(code: str) -> str:
    """The same program with a fresh content key (a comment), so no test sees another's cache."""
    return f"{code}// {uuid.uuid4().hex}\n"


@pytest.mark.parametrize(("language", "code"), [("cpp", ADD_CPP), ("c", ADD_C)])
def test_a_submission_grades_through_the_api(api: httpx.Client, language: str, code: str) -> None:
    body = {"language": language, "code": unique(code), "tests": TESTS}
    reply = api.post("/v1/submissions", params={"wait": 60}, json=body)
    assert reply.status_code == 200, reply.text
    result = reply.json()["result"]
    assert (result["status"], result["reward"], result["language"]) == ("graded", 1, language)
    assert result["compile"]["ok"] is True
    compiler = "g++" if language == "cpp" else "gcc"
    assert result["runtime"].startswith(f"{compiler} ") and "-O2" in result["runtime"]


def test_a_wrong_and_a_broken_program_score_0_not_an_error(api: httpx.Client) -> None:
    wrong = {"language": "cpp", "code": unique("int main() { return 0; }"), "tests": TESTS}
    broken = {"language": "cpp", "code": unique("int main( {"), "tests": TESTS}
    for body, verdict in ((wrong, "wrong_answer"), (broken, "compile_error")):
        result = api.post("/v1/submissions", params={"wait": 60}, json=body).json()["result"]
        assert (result["status"], result["reward"], result["verdict"]) == ("graded", 0, verdict)
    result = api.post("/v1/submissions", params={"wait": 60}, json=broken).json()["result"]
    assert "error" in result["tests"][0]["message"] and result["compile"]["ok"] is False


def test_go_grades_through_the_api_right_1_and_wrong_0(api: httpx.Client) -> None:
    wrong = ADD_GO.replace("a + b", "a - b")
    results = []
    for code in (ADD_GO, wrong):
        body = {"language": "go", "code": unique(code), "tests": TESTS}
        reply = api.post("/v1/submissions", params={"wait": 60}, json=body)
        assert reply.status_code == 200, reply.text
        results.append(reply.json()["result"])
    assert [(r["status"], r["reward"], r["language"]) for r in results] == [
        ("graded", 1, "go"),
        ("graded", 0, "go"),
    ]
    assert results[1]["verdict"] == "wrong_answer"
    assert results[0]["compile"]["ok"] is True
    assert results[0]["runtime"].startswith("go 1.") and "GOMAXPROCS=1" in results[0]["runtime"]


@pytest.mark.parametrize("kind", ["call", "assert"])
def test_call_and_assert_tests_are_refused_for_c_and_cpp(api: httpx.Client, kind: str) -> None:
    tests = (
        {"kind": "call", "fn_name": "f", "cases": [{"args": [1], "expected": 1}]}
        if kind == "call"
        else {"kind": "assert", "code": "assert f(1) == 1"}
    )
    reply = api.post("/v1/submissions", json={"language": "cpp", "code": "x", "tests": tests})
    assert reply.status_code == 422
    assert reply.json()["error"]["code"] == "invalid_request"
    assert "Python programs only" in reply.json()["error"]["message"]


def test_a_registered_call_test_set_is_refused_for_cpp_and_a_stdio_one_is_not(
    api: httpx.Client,
) -> None:
    call = CallTestSet(fn_name="f", cases=[CallCase(args=[1], expected=1)])
    stdio = StdioTestSet(cases=[StdioCase(input="2 3\n", output="5\n")])
    for testset in (call, stdio):
        sha = sha256_of(testset)
        assert api.put(f"/v1/testsets/{sha}", json=testset.model_dump(mode="json")).is_success
    body = {"language": "cpp", "code": unique(ADD_CPP), "testset": sha256_of(call)}
    reply = api.post("/v1/submissions", json=body)
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"]["code"] == "invalid_request"
    assert "call tests run Python programs only" in reply.json()["error"]["message"]
    batch = {"submissions": [body | {"testset": sha256_of(stdio)}, body]}
    assert api.post("/v1/batches", json=batch).status_code == 422  # one refused: all are
    fine = body | {"testset": sha256_of(stdio)}
    graded = api.post("/v1/submissions", params={"wait": 60}, json=fine).json()
    assert graded["result"]["reward"] == 1
    python = {"code": "def f(x):\n    return x\n", "testset": sha256_of(call)}
    assert (
        api.post("/v1/submissions", params={"wait": 60}, json=python).json()["result"]["reward"]
        == 1
    )


def test_an_unknown_standard_is_refused(api: httpx.Client) -> None:
    body = {"language": "cpp", "standard": "c++98", "code": "x", "tests": TESTS}
    reply = api.post("/v1/submissions", json=body)
    assert reply.status_code == 422
    assert "c++17, c++20" in reply.json()["error"]["message"]


def test_cpp20_is_selectable(api: httpx.Client) -> None:
    # std::ranges and <=> exist from C++20 on: the default (C++17) does not compile this.
    program = (
        "#include <bits/stdc++.h>\n"
        "struct P { int x; auto operator<=>(const P&) const = default; };\n"
        "int main() { std::vector<int> v{3, 1, 2}; std::ranges::sort(v);"
        " long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n"
    )
    verdicts = {}
    for standard in (None, "c++20"):
        body = {"language": "cpp", "standard": standard, "code": unique(program), "tests": TESTS}
        verdicts[standard] = api.post("/v1/submissions", params={"wait": 60}, json=body).json()
    assert verdicts[None]["result"]["verdict"] == "compile_error"
    assert verdicts["c++20"]["result"]["reward"] == 1
    assert "-std=c++20" in verdicts["c++20"]["result"]["runtime"]


def test_run_code_compiles_cpp_as_sandbox_fusion_answers(api: httpx.Client) -> None:
    request = {
        "compile_timeout": 10,
        "run_timeout": 10,
        "code": unique(ADD_CPP),
        "stdin": "20 22\n",
        "language": "cpp",
        "files": {},
        "fetch_files": [],
    }
    body = api.post("/run_code", json=request).json()
    assert body["status"] == "Success", body
    assert body["compile_result"]["status"] == "Finished"
    assert body["compile_result"]["return_code"] == 0
    assert body["run_result"]["stdout"] == "42\n" and body["run_result"]["return_code"] == 0


def test_run_code_reports_a_failed_build_with_the_compiler_messages(api: httpx.Client) -> None:
    request = {"code": unique("int main() { undeclared(); }"), "language": "cpp"}
    reply = api.post("/run_code", json=request)
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "Failed" and body["run_result"] is None
    assert body["compile_result"]["return_code"] != 0
    assert "undeclared" in body["compile_result"]["stderr"]


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "java",
            "import java.util.*;\npublic class Main { public static void main(String[] a) {"
            " Scanner s = new Scanner(System.in); System.out.println(s.nextInt() + s.nextInt());"
            " } }\n",
        ),
        (
            "nodejs",
            'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(" ").map(Number);'
            " console.log(a + b);\n",
        ),
        (
            "rust",
            "use std::io::Read;\nfn main() { let mut s = String::new();"
            " std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> ="
            ' s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}",'
            " v[0] + v[1]); }\n",
        ),
        ("go", ADD_GO),
        ("pypy", "a, b = map(int, input().split())\nprint(a + b)\n"),
    ],
)
def test_run_code_runs_the_other_languages(api: httpx.Client, language: str, code: str) -> None:
    comment = "#" if language == "pypy" else "//"
    request = {
        "code": f"{code}{comment} {uuid.uuid4().hex}\n",
        "stdin": "20 22\n",
        "language": language,
    }
    body = api.post("/run_code", json=request).json()
    assert body["status"] == "Success", body
    assert body["compile_result"]["status"] == "Finished"
    assert body["run_result"]["stdout"] == "42\n"


def test_run_code_refuses_a_language_it_does_not_run(api: httpx.Client) -> None:
    reply = api.post("/run_code", json={"code": "x", "language": "cobol"})
    assert reply.status_code == 422 and reply.json()["error"]["code"] == "unsupported"


def test_the_client_grades_c_and_cpp_in_order(service: Stack) -> None:
    tests = StdioTestSet(cases=[StdioCase(input="2 3\n", output="5\n")])
    submissions = [
        Submission(language=Language.cpp, code=unique(ADD_CPP), tests=tests),
        Submission(language=Language.c, code=unique(ADD_C), tests=tests),
        Submission(language=Language.cpp, code=unique("int main() {}"), tests=tests),
        Submission(language=Language.cpp, response=f"Here:\n```cpp\n{ADD_CPP}```\n", tests=tests),
    ]
    with RewardClient(service.gateway.url) as client:
        results = client.grade_many(submissions)
    assert [r.reward for r in results] == [1, 1, 0, 1]
    assert [r.language for r in results] == [Language.cpp, Language.c, Language.cpp, Language.cpp]


def test_crucible_judge_grades_cpp() -> None:
    submission = Submission(
        language=Language.cpp,
        code=ADD_CPP,
        tests=StdioTestSet(cases=[StdioCase(input="2 3\n", output="5\n")]),
    )
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "judge"],
        input=submission.model_dump_json(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = RewardResult.model_validate_json(done.stdout)
    assert (result.reward, result.language) == (1, Language.cpp)
    assert result.compile is not None and result.compile.toolchain.startswith("g++ ")
