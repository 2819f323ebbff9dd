"""Every verdict a C or C++ program can get, through the real judge: passed, wrong answer,
runtime errors (a signal, an exit status, abort), the time limit (CPU and wall clock), the
memory and output limits, compile errors and responses with no program; deep recursion on
an unlimited stack, reading stdin to its end, output near the cap, and the artifact cache.
"""

from __future__ import annotations

import secrets

import pytest

from crucible.schema import Language, Limits, Status, Submission, Verdict
from tests.integration.hostile import explain, stdio
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration

HONEST_SUM = """#include <iostream>
int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << a + b << std::endl;
}
"""
SUM = stdio(("3 4\n", "7\n"))


# One program a language: what it does is the first word of its input.
VERDICT_C = r"""#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Each frame's address goes to the next call, so no frame can be folded into a loop.
__attribute__((noinline)) static int depth(int n, volatile char *above) {
    volatile char frame[32];
    frame[0] = (char)(above[0] + 1);
    return n == 0 ? 0 : 1 + depth(n - 1, frame) + (frame[0] & 0);
}

int main(void) {
    char mode[16] = "";
    if (scanf("%15s", mode) != 1) return 2;
    if (!strcmp(mode, "sum")) {
        long long total = 0, x;
        while (scanf("%lld", &x) == 1) total += x;
        printf("%lld\n", total);
    } else if (!strcmp(mode, "segv")) {
        *(volatile int *)0 = 1;
    } else if (!strcmp(mode, "exit3")) {
        return 3;
    } else if (!strcmp(mode, "abort")) {
        abort();
    } else if (!strcmp(mode, "spin")) {
        for (volatile unsigned long i = 0;; i++) {
        }
    } else if (!strcmp(mode, "sleep")) {
        sleep(30);
    } else if (!strcmp(mode, "memory")) {
        for (;;) memset(malloc(1 << 20), 1, 1 << 20);
    } else if (!strcmp(mode, "flood")) {
        static char line[1 << 16];
        memset(line, 'x', sizeof line);
        while (fwrite(line, 1, sizeof line, stdout) == sizeof line) {
        }
    } else if (!strcmp(mode, "deep")) {
        volatile char top[1] = {0};
        printf("%d\n", depth(1000000, top));
    } else if (!strcmp(mode, "count")) {
        for (int i = 0; i < 200000; i++) printf("%d\n", i);
    }
    return 0;
}
"""
VERDICT_CPP = r"""#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

// Each frame's address goes to the next call, so no frame can be folded into a loop.
[[gnu::noinline]] static int depth(int n, volatile char *above) {
    volatile char frame[32];
    frame[0] = static_cast<char>(above[0] + 1);
    return n == 0 ? 0 : 1 + depth(n - 1, frame) + (frame[0] & 0);
}

int main() {
    std::ios::sync_with_stdio(false);
    std::string mode;
    std::cin >> mode;
    if (mode == "sum") {
        long long total = 0, x;
        while (std::cin >> x) total += x;
        std::cout << total << "\n";
    } else if (mode == "segv") {
        *static_cast<volatile int *>(nullptr) = 1;
    } else if (mode == "exit3") {
        return 3;
    } else if (mode == "abort") {
        std::abort();
    } else if (mode == "spin") {
        for (volatile unsigned long i = 0;; i++) {
        }
    } else if (mode == "sleep") {
        std::this_thread::sleep_for(std::chrono::seconds(30));
    } else if (mode == "memory") {
        std::vector<std::vector<char>> held;
        for (;;) held.emplace_back(1 << 20, 'x');
    } else if (mode == "flood") {
        std::string line(1 << 16, 'x');
        while (std::cout.write(line.data(), line.size())) {
        }
    } else if (mode == "deep") {
        volatile char top[1] = {0};
        std::cout << depth(1000000, top) << "\n";
    } else if (mode == "count") {
        for (int i = 0; i < 200000; i++) std::cout << i << "\n";
    }
}
"""
VERDICT_PROGRAMS = {Language.c: VERDICT_C, Language.cpp: VERDICT_CPP}
VERDICT_LIMITS = Limits(time_s=0.5, wall_time_s=1, memory_mb=136, output_kb=2048, pids=28)
COUNT = "".join(f"{i}\n" for i in range(200000))  # 1.3 MB, within the output cap
# mode: (input after the mode, expected output, verdict, and the exit code or signal if any)
VERDICTS: dict[str, tuple[str, str, Verdict, dict[str, int]]] = {
    "passed": ("sum\n3 4\n", "7\n", Verdict.passed, {}),
    "wrong_answer": ("sum\n3 4\n", "8\n", Verdict.wrong_answer, {}),
    "stdin_to_eof": ("sum\n" + "1 2 3\n" * 10000, "60000\n", Verdict.passed, {}),
    "sigsegv": ("segv\n", "0\n", Verdict.runtime_error, {"signal": 11}),
    "exit_3": ("exit3\n", "0\n", Verdict.runtime_error, {"exit_code": 3}),
    "abort": ("abort\n", "0\n", Verdict.runtime_error, {"signal": 6}),
    "busy_loop": ("spin\n", "0\n", Verdict.time_limit, {}),
    "sleep_past_wall": ("sleep\n", "0\n", Verdict.time_limit, {}),
    "memory": ("memory\n", "0\n", Verdict.memory_limit, {}),
    "output_flood": ("flood\n", "0\n", Verdict.output_limit, {}),
    "deep_recursion": ("deep\n", "1000000\n", Verdict.passed, {}),
    "large_output": ("count\n", COUNT, Verdict.passed, {}),
}


@pytest.mark.parametrize("language", [Language.c, Language.cpp], ids=["c", "cpp"])
@pytest.mark.parametrize("verdict", VERDICTS)
def test_native_verdict(judge: Judge, language: Language, verdict: str) -> None:
    stdin, expected, wanted, ending = VERDICTS[verdict]
    result = judge.grade_or_error(
        Submission(
            language=language,
            code=VERDICT_PROGRAMS[language],
            tests=stdio((stdin, expected)),
            limits=VERDICT_LIMITS,
        )
    )
    assert result.status == Status.graded, explain(result)
    assert result.verdict == wanted, explain(result)
    assert result.reward == (1 if wanted == Verdict.passed else 0), explain(result)
    test = result.tests[0]
    for field, value in ending.items():
        assert getattr(test, field) == value, explain(result)


@pytest.mark.parametrize("language", [Language.c, Language.cpp], ids=["c", "cpp"])
def test_native_compile_error(judge: Judge, language: Language) -> None:
    result = judge.grade_or_error(
        Submission(language=language, code="int main( {\n", tests=SUM, limits=VERDICT_LIMITS)
    )
    assert result.status == Status.graded, explain(result)
    assert (result.reward, result.verdict) == (0, Verdict.compile_error), explain(result)
    assert result.compile is not None and not result.compile.ok
    assert "error" in result.tests[0].message and "main" in result.compile.output


@pytest.mark.parametrize("language", [Language.c, Language.cpp], ids=["c", "cpp"])
def test_native_response_without_a_program(judge: Judge, language: Language) -> None:
    response = "I would read both numbers and print their sum."
    result = judge.grade_or_error(
        Submission(language=language, response=response, tests=SUM, limits=VERDICT_LIMITS)
    )
    assert result.status == Status.graded, explain(result)
    assert (result.reward, result.verdict) == (0, Verdict.no_code), explain(result)


def test_native_response_with_a_program(judge: Judge) -> None:
    response = f"Read both numbers and print their sum:\n\n```cpp\n{HONEST_SUM}```\n"
    result = judge.grade_or_error(
        Submission(language=Language.cpp, response=response, tests=SUM, limits=VERDICT_LIMITS)
    )
    assert result.reward == 1, explain(result)


def test_identical_submission_reuses_the_artifact(judge: Judge) -> None:
    code = f"// {secrets.token_hex(8)}: a source no earlier run built\n{HONEST_SUM}"
    submission = Submission(language=Language.cpp, code=code, tests=SUM, limits=VERDICT_LIMITS)
    first, second = judge.grade_or_error(submission), judge.grade_or_error(submission)
    assert first.reward == second.reward == 1, explain(first) + explain(second)
    assert first.compile is not None and second.compile is not None
    assert (first.compile.cached, second.compile.cached) == (False, True)
    assert second.compile.toolchain == first.compile.toolchain
