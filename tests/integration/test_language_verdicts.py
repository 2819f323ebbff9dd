"""Every verdict in every language: one program per language and verdict, graded on the same
a+b tests under the same limits, must get exactly that verdict (and reward 1 only when it
passed).  A language whose toolchain does not work on the worker is a fault of ours."""

from __future__ import annotations

import dataclasses
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from crucible.schema import Language, Limits, StdioCase, StdioTestSet, Submission, Verdict
from workers.judge import languages
from workers.judge.errors import SandboxUnavailable
from workers.judge.grade import Judge
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

TESTS = StdioTestSet(
    cases=[StdioCase(input="2 3\n", output="5\n"), StdioCase(input="40 2\n", output="42\n")]
)
LIMITS = Limits(time_s=1, memory_mb=256, output_kb=1024)
# The memory programs fill 256 MB a megabyte at a time: within 1 s of CPU on a quiet
# machine (a VM's collector included), not always on a loaded one.  The verdict is memory's.
MEMORY_LIMITS = LIMITS.model_copy(update={"time_s": 4})

CPP_HEAD = "#include <bits/stdc++.h>\nusing namespace std;\n"
C_HEAD = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
JAVA_IMPORTS = "import java.util.*;\nimport java.io.*;\n"
GO_HEAD = 'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\n'
GO_SUM = (
    GO_HEAD + "func main() {\n\tin := bufio.NewReader(os.Stdin)\n\tvar a, b int64\n"
    "\tfmt.Fscan(in, &a, &b)\n\tfmt.Println(a + b)\n}\n"
)

PROGRAMS: dict[Language, dict[Verdict, str]] = {
    Language.c: {
        Verdict.passed: C_HEAD
        + 'int main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}',
        Verdict.wrong_answer: C_HEAD
        + 'int main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a*b);}',
        Verdict.time_limit: C_HEAD + "int main(void){volatile unsigned long x=0;for(;;)x++;}",
        Verdict.memory_limit: C_HEAD
        + "int main(void){for(;;){char*p=malloc(1<<20);if(!p)return 3;memset(p,7,1<<20);}}",
        Verdict.output_limit: C_HEAD + 'int main(void){for(;;)fputs("0123456789abcdef",stdout);}',
        Verdict.runtime_error: C_HEAD + "int main(void){int*p=NULL;*p=1;return 0;}",
        Verdict.compile_error: C_HEAD + "int main(void){return undeclared;}",
    },
    Language.cpp: {
        Verdict.passed: CPP_HEAD + "int main(){long long a,b;cin>>a>>b;cout<<a+b<<'\\n';}",
        Verdict.wrong_answer: CPP_HEAD + "int main(){long long a,b;cin>>a>>b;cout<<a-b<<'\\n';}",
        Verdict.time_limit: CPP_HEAD + "int main(){volatile unsigned long x=0;for(;;)x++;}",
        Verdict.memory_limit: CPP_HEAD
        + "int main(){vector<vector<char>> v;for(;;)v.emplace_back(1<<20,'x');}",
        Verdict.output_limit: CPP_HEAD + 'int main(){for(;;)cout<<"0123456789abcdef";}',
        Verdict.runtime_error: CPP_HEAD + "int main(){vector<int> v;return v.at(3);}",
        Verdict.compile_error: CPP_HEAD + "int main(){ return }",
    },
    Language.java: {
        Verdict.passed: JAVA_IMPORTS
        + "public class Main { public static void main(String[] a) { Scanner s = new"
        " Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }",
        Verdict.wrong_answer: "public class Main { public static void main(String[] a) {"
        " System.out.println(7); } }",
        Verdict.time_limit: "public class Main { public static void main(String[] a) {"
        " long x = 0; while (true) x++; } }",
        Verdict.memory_limit: JAVA_IMPORTS
        + "public class Main { public static void main(String[] a) { List<long[]> l = new"
        " ArrayList<>(); while (true) { long[] b = new long[1 << 17]; Arrays.fill(b, 1);"
        " l.add(b); } } }",
        Verdict.output_limit: "public class Main { public static void main(String[] a) {"
        ' while (true) System.out.print("0123456789abcdef"); } }',
        Verdict.runtime_error: "public class Main { public static void main(String[] a) {"
        " int[] x = new int[1]; System.out.println(x[3]); } }",
        Verdict.compile_error: "public class Main { public static void main(String[] a) {"
        " int x = ; } }",
    },
    Language.javascript: {
        Verdict.passed: 'const [a, b] = require("fs").readFileSync(0, "utf8").trim()'
        ".split(/\\s+/).map(BigInt); console.log((a + b).toString());",
        Verdict.wrong_answer: "console.log(1);",
        Verdict.time_limit: "for (;;) {}",
        Verdict.memory_limit: "const k = []; for (;;) k.push(Buffer.alloc(1 << 20, 1));",
        Verdict.output_limit: 'const s = "0123456789abcdef".repeat(4096);'
        " for (;;) require('fs').writeSync(1, s);",
        Verdict.runtime_error: "null.x;",
        Verdict.compile_error: "function ( {",
    },
    Language.rust: {
        Verdict.passed: "use std::io::Read;\nfn main() { let mut s = String::new();"
        " std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> ="
        " s.split_whitespace().map(|x| x.parse().unwrap()).collect();"
        ' println!("{}", v[0] + v[1]); }',
        Verdict.wrong_answer: 'fn main() { println!("0"); }',
        Verdict.time_limit: "fn main() { let mut x: u64 = 1; loop {"
        " x = x.wrapping_mul(6364136223846793005).wrapping_add(1);"
        ' if x == 42 { println!("{}", x); } } }',
        Verdict.memory_limit: "fn main() { let mut v: Vec<Vec<u8>> = Vec::new(); loop {"
        " v.push(vec![7u8; 1 << 20]); } }",
        Verdict.output_limit: "use std::io::Write;\nfn main() { let mut o = std::io::stdout();"
        ' loop { if o.write_all(b"0123456789abcdef").is_err() { std::process::exit(0); } } }',
        Verdict.runtime_error: 'fn main() { let v: Vec<i32> = Vec::new(); println!("{}", v[3]); }',
        Verdict.compile_error: "fn main() { let x: i32 = ; }",
    },
    Language.go: {
        Verdict.passed: GO_SUM,
        Verdict.wrong_answer: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(0) }\n',
        Verdict.time_limit: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tx := uint64(1)\n'
        "\tfor {\n\t\tx = x*6364136223846793005 + 1\n\t\tif x == 42 {\n\t\t\tfmt.Println(x)\n"
        "\t\t}\n\t}\n}\n",
        # Touched, not only reserved: Go's runtime reserves far more than it uses.
        Verdict.memory_limit: "package main\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n"
        "\t\tb := make([]byte, 1<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 7\n\t\t}\n"
        "\t\tkeep = append(keep, b)\n\t}\n}\n",
        Verdict.output_limit: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfor {\n'
        '\t\tfmt.Print("0123456789abcdef")\n\t}\n}\n',
        Verdict.runtime_error: GO_HEAD + "func main() {\n\tv := []int{}\n"
        "\tfmt.Println(v[len(os.Args)+2], bufio.MaxScanTokenSize)\n}\n",
        Verdict.compile_error: "package main\n\nfunc main() { x := }\n",
    },
    Language.pypy: {
        Verdict.passed: "a, b = map(int, input().split())\nprint(a + b)",
        Verdict.wrong_answer: "print(0)",
        Verdict.time_limit: "while True:\n    pass",
        Verdict.memory_limit: "x = []\nwhile True:\n    x.append(bytearray(1 << 20))",
        Verdict.output_limit: "import sys\nwhile True:\n    sys.stdout.write('0123456789' * 100)",
        Verdict.runtime_error: "raise ValueError('no')",
        Verdict.compile_error: "def f(:\n    pass",
    },
}
CASES = [
    pytest.param(language, verdict, id=f"{language.value}-{verdict.value}")
    for language, programs in PROGRAMS.items()
    for verdict in programs
]


@pytest.mark.parametrize(("language", "verdict"), CASES)
def test_each_language_reaches_each_verdict(
    judge: Judge, language: Language, verdict: Verdict
) -> None:
    limits = MEMORY_LIMITS if verdict == Verdict.memory_limit else LIMITS
    code = PROGRAMS[language][verdict]
    result = judge.grade(Submission(language=language, code=code, tests=TESTS, limits=limits))
    got = [t.verdict for t in result.tests]
    assert result.status == "graded"
    assert result.verdict == verdict, (got, [t.message for t in result.tests], result.compile)
    assert result.reward == (1 if verdict == Verdict.passed else 0)
    assert result.language == language
    assert result.compile is not None and result.compile.toolchain
    assert result.compile.ok == (verdict != Verdict.compile_error)


@pytest.mark.parametrize("language", list(PROGRAMS))
def test_no_program_in_the_answer_is_no_code(judge: Judge, language: Language) -> None:
    result = judge.grade(
        Submission(language=language, response="I would rather not.", tests=TESTS, limits=LIMITS)
    )
    assert (result.verdict, result.reward) == (Verdict.no_code, 0)


@pytest.mark.parametrize("language", list(PROGRAMS))
def test_the_same_program_builds_once(judge: Judge, language: Language) -> None:
    program = PROGRAMS[language][Verdict.passed] + "\n"  # its own key, this test's alone
    first = judge.grade(Submission(language=language, code=program, tests=TESTS, limits=LIMITS))
    again = judge.grade(Submission(language=language, code=program, tests=TESTS, limits=LIMITS))
    assert first.compile is not None and again.compile is not None
    assert (first.reward, again.reward) == (1, 1)
    assert again.compile.cached and again.compile.time_s == 0.0


def test_java_runs_the_public_class_whatever_its_name(judge: Judge) -> None:
    program = (
        "import java.util.*;\nclass Helper { static long add(long a, long b) { return a + b; } }\n"
        "public class Solution_2024 { public static void main(String[] x) { Scanner s = new"
        " Scanner(System.in); System.out.println(Helper.add(s.nextLong(), s.nextLong())); } }\n"
    )
    result = judge.grade(Submission(language=Language.java, code=program, tests=TESTS))
    assert result.reward == 1, [t.message for t in result.tests]


def test_deep_recursion_runs_in_every_compiled_language(judge: Judge) -> None:
    programs = {
        Language.cpp: CPP_HEAD + "int f(int n){return n?1+f(n-1):0;}\n"
        "int main(){long long a,b;cin>>a>>b;volatile int d=f(2000000);cout<<a+b+d-d<<'\\n';}",
        Language.java: "import java.util.*;\npublic class Main { static int f(int n) {"
        " return n == 0 ? 0 : 1 + f(n - 1); } public static void main(String[] x) { Scanner"
        " s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong(); System.out"
        ".println(a + b + f(200000) - 200000); } }",
        Language.go: 'package main\n\nimport "fmt"\n\nfunc f(n int) int {\n\tif n == 0 {\n'
        "\t\treturn 0\n\t}\n\treturn 1 + f(n-1)\n}\n\nfunc main() {\n\tvar a, b int\n"
        "\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b + f(2000000) - 2000000)\n}\n",
    }
    for language, program in programs.items():
        result = judge.grade(Submission(language=language, code=program, tests=TESTS))
        assert result.reward == 1, (language, [t.message for t in result.tests])


def test_go_runs_on_one_thread_with_its_memory_limit_told(judge: Judge) -> None:
    # GOMAXPROCS=1: CPU limits count every thread; GOMEMLIMIT: the collector keeps the heap
    # within the test's limit.
    program = (
        'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n\t"runtime/debug"\n)\n\n'
        "func main() {\n\tfmt.Println(runtime.GOMAXPROCS(0), debug.SetMemoryLimit(-1))\n}\n"
    )
    tests = StdioTestSet(cases=[StdioCase(input="", output=f"1 {256 << 20}\n")])
    result = judge.grade(Submission(language=Language.go, code=program, tests=tests, limits=LIMITS))
    assert result.reward == 1, [t.message for t in result.tests]
    assert result.runtime.startswith("go ") and "GOMAXPROCS=1" in result.runtime


def test_a_go_program_within_its_memory_limit_passes(judge: Judge) -> None:
    # 150 MB held while 300 MB of garbage comes and goes, under 256 MB: without GOMEMLIMIT
    # the heap would grow to twice what it holds and the kernel would kill it.
    program = GO_HEAD + (
        "func main() {\n\tin := bufio.NewReader(os.Stdin)\n\tvar a, b int64\n"
        "\tfmt.Fscan(in, &a, &b)\n\tkeep := make([][]byte, 0, 150)\n"
        "\tfor i := 0; i < 150; i++ {\n\t\tblock := make([]byte, 1<<20)\n"
        "\t\tfor k := range block {\n\t\t\tblock[k] = 1\n\t\t}\n"
        "\t\tkeep = append(keep, block)\n\t}\n\tfor round := 0; round < 300; round++ {\n"
        "\t\tjunk := make([]byte, 1<<20)\n\t\tjunk[round] = 1\n\t}\n"
        "\tfmt.Println(a + b + int64(keep[149][0]) - 1)\n}\n"
    )
    limits = LIMITS.model_copy(update={"time_s": 5})
    result = judge.grade(Submission(language=Language.go, code=program, tests=TESTS, limits=limits))
    assert result.reward == 1, [(t.verdict, t.message, t.memory_kb) for t in result.tests]
    assert max(t.memory_kb for t in result.tests) > 150 * 1024


def test_go_that_cannot_get_its_standard_library_is_our_fault(tmp_path: Path) -> None:
    # A folder the worker cannot write: Go's standard library is never compiled, and every
    # Go submission is sandbox_unavailable, never a compile error.
    blocked = tmp_path / "file"
    blocked.write_text("")
    judge = Judge(JudgeSettings(artifact_cache=0, go_std_dir=blocked / "go"))
    program = f"{PROGRAMS[Language.go][Verdict.passed]}// {uuid.uuid4().hex}\n"  # not cached
    outcome = judge.grade_or_error(Submission(language=Language.go, code=program, tests=TESTS))
    assert (outcome.status, outcome.reward) == ("error", None)
    assert outcome.error is not None and outcome.error.code == "sandbox_unavailable"
    assert "standard library" in outcome.error.message
    judge.close()


def test_a_broken_toolchain_is_our_fault_never_a_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    judge = Judge(JudgeSettings(artifact_cache=0))
    chain = languages.TOOLCHAINS[Language.c]
    # A compiler missing on this worker, then one whose programs cannot start.
    for broken in (
        dataclasses.replace(chain, build=("/usr/bin/no-such-compiler", *chain.build[1:])),
        dataclasses.replace(chain, run=("/usr/bin/false",)),
    ):
        monkeypatch.setitem(languages.TOOLCHAINS, Language.c, broken)
        judge._probed.clear()
        program = PROGRAMS[Language.c][Verdict.passed]
        outcome = judge.grade_or_error(Submission(language=Language.c, code=program, tests=TESTS))
        assert (outcome.status, outcome.reward) == ("error", None)
        assert outcome.error is not None and outcome.error.code == "sandbox_unavailable"
        with pytest.raises(SandboxUnavailable, match="c does not work on this worker"):
            judge.grade(Submission(language=Language.c, code=program, tests=TESTS))
    judge.close()


def test_threads_wait_for_the_probe_so_none_builds_with_a_broken_toolchain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judge = Judge(JudgeSettings(artifact_cache=0))
    chain = languages.TOOLCHAINS[Language.c]
    broken = dataclasses.replace(chain, run=("/usr/bin/false",))  # builds, never runs
    monkeypatch.setitem(languages.TOOLCHAINS, Language.c, broken)
    program = PROGRAMS[Language.c][Verdict.passed]
    submissions = [
        Submission(language=Language.c, code=f"{program}\n// {n}\n", tests=TESTS) for n in range(4)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(judge.grade_or_error, submissions))
    assert [(o.status, o.reward) for o in outcomes] == [("error", None)] * 4
    assert {o.error.code for o in outcomes if o.error} == {"sandbox_unavailable"}
    judge.close()
