"""Benchmark workloads: the shared datasets' reference programs and synthetic sets, each a
list of named submissions that `crucible bench` grades sandboxed and runs bare; the C and C++
ones (`crucible bench languages`) carry a tag in a leading comment, so each run builds anew.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crucible.datasets import (
    humaneval_submission,
    language_of,
    leetcode_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.schema import (
    Checker,
    CheckerProtocol,
    Comparator,
    Language,
    Limits,
    StdioCase,
    StdioTestSet,
    Submission,
)

DEFAULT_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
ECHO = "import sys; sys.stdout.write(sys.stdin.read())\n"
OVERHEAD_TESTS = 1000
# Kattis gives no time limits; its accepted Python programs get a generous one, as in the tests.
KATTIS_LIMITS = Limits(time_s=10)
# `different`'s answers are single integers and its custom validator was not copied.
KATTIS_COMPARATORS = {"different": "tokens", "hello": "lines", "oddecho": "lines"}


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    submission: Submission


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    description: str
    items: list[Item]


def humaneval(root: Path) -> Workload:
    rows = read_jsonl(root / "humaneval" / "HumanEval.jsonl.gz")
    items = [Item(row["task_id"], humaneval_submission(row)) for row in rows]
    return Workload(
        "humaneval", "HumanEval canonical solutions; `check(entry_point)` is one test.", items
    )


def leetcode(root: Path) -> Workload:
    rows = read_json(root / "rllm-deepcoder" / "test_leetcode.json")
    items = [Item(f"test_leetcode[{i}]", leetcode_submission(row)) for i, row in enumerate(rows)]
    return Workload(
        "leetcode",
        "DeepCoder (rllm) LeetCode test split, reference `class Solution`s after the LeetCode"
        " prelude (numpy included); `check(...)` is one test. The jail imports the prelude once"
        " per program, bare once per test.",
        items,
    )


def mbpp(root: Path) -> Workload:
    rows = read_json(root / "mbpp" / "sanitized-mbpp.json")
    items = [Item(f"mbpp/{row['task_id']}", mbpp_submission(row)) for row in rows]
    return Workload(
        "mbpp",
        "MBPP sanitized reference programs; each assert is one test (one process bare).",
        items,
    )


def kattis(root: Path) -> Workload:
    folder = root / "kattis-problemtools-examples"
    items: list[Item] = []
    for problem, comparator in sorted(KATTIS_COMPARATORS.items()):
        tests = _kattis_tests(folder / problem)
        for path in sorted((folder / problem / "submissions" / "accepted").glob("*.py")):
            code = path.read_text()
            if _is_python3(code):
                submission = Submission(
                    code=code,
                    tests=tests,
                    limits=KATTIS_LIMITS,
                    comparator=Comparator(name=comparator),
                )
                items.append(Item(f"{problem}/{path.name}", submission))
    return Workload(
        "kattis",
        "Kattis problemtools examples: accepted Python 3 programs on their stdio tests.",
        items,
    )


def _kattis_tests(problem: Path) -> StdioTestSet:
    inputs = [
        path
        for part in ("sample", "secret")
        for path in sorted((problem / "data" / part).rglob("*.in"))
    ]
    cases = [
        StdioCase(input=p.read_text(), output=p.with_suffix(".ans").read_text()) for p in inputs
    ]
    return StdioTestSet(cases=cases)


def _is_python3(code: str) -> bool:
    try:
        compile(code, "<kattis>", "exec")
    except SyntaxError:
        return False
    return True


def echo_submission(tests: int) -> Submission:
    """The trivial program on `tests` small inputs."""
    cases = [StdioCase(input=f"{i} {i * i}\n", output=f"{i} {i * i}\n") for i in range(tests)]
    return Submission(code=ECHO, tests=StdioTestSet(cases=cases))


def trivial(programs: int = 50, tests: int = 20) -> Workload:
    items = [Item(f"echo[{i}]", echo_submission(tests)) for i in range(programs)]
    return Workload(
        f"trivial {programs}x{tests}",
        f"Synthetic: the echo program, {programs} submissions of {tests} small stdio tests each.",
        items,
    )


def trivial_many() -> Workload:
    return Workload(
        f"trivial 1x{OVERHEAD_TESTS}",
        f"Synthetic: the echo program, one submission of {OVERHEAD_TESTS} small stdio tests"
        " (one worker in both modes).",
        [Item("echo", echo_submission(OVERHEAD_TESTS))],
    )


# Correct sum programs in a few styles, and a wrong one that drops the last number once the
# input is long, so it fails part-way through its tests as RL samples often do.
SUM_PROGRAMS = (
    "import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n"
    "print(sum(map(int, data[1:1 + n])))\n",
    "n = int(input())\nnums = list(map(int, input().split()))\ntotal = 0\nfor x in nums:\n"
    "    total += x\nprint(total)\n",
    "import sys\n\ndef main():\n    n = int(sys.stdin.readline())\n"
    "    print(sum(int(t) for t in sys.stdin.readline().split()[:n]))\n\nmain()\n",
)
WRONG_SUM = "n = int(input())\nnums = list(map(int, input().split()))\nprint(sum(nums[:100]))\n"
STDIO15_TESTS = 15


def stdio15(programs: int = 100) -> Workload:
    """DeepCoder-like: 15 stdio tests per problem; a quarter of the samples are wrong."""
    rng = random.Random(15)
    problems = [_sum_tests(rng) for _ in range(10)]
    items = []
    for i in range(programs):
        code = WRONG_SUM if i % 4 == 3 else SUM_PROGRAMS[i % len(SUM_PROGRAMS)]
        submission = Submission(code=f"# sample {i}\n{code}", tests=problems[i % len(problems)])
        items.append(Item(f"sum[{i}]", submission))
    return Workload(
        "stdio15",
        f"Synthetic, DeepCoder-like: {programs} submissions of {STDIO15_TESTS} stdio tests (read"
        " n numbers, print their sum; inputs of 1 to 2,000 numbers); one in four programs is"
        " wrong on inputs longer than 100 numbers, so it stops part-way.",
        items,
    )


def _sum_tests(rng: random.Random) -> StdioTestSet:
    cases = []
    for k in range(STDIO15_TESTS):
        n = max(1, int(2000 ** (k / (STDIO15_TESTS - 1))))
        nums = [rng.randint(-(10**9), 10**9) for _ in range(n)]
        cases.append(StdioCase(input=f"{n}\n{' '.join(map(str, nums))}\n", output=f"{sum(nums)}\n"))
    return StdioTestSet(cases=cases)


# --- C and C++ ------------------------------------------------------------------------------

# The trivial programs: read two numbers, print their sum.
ADD = {
    Language.c: "#include <stdio.h>\nint main(void) {\n    long long a, b;\n"
    '    if (scanf("%lld %lld", &a, &b) == 2) printf("%lld\\n", a + b);\n    return 0;\n}\n',
    Language.cpp: "#include <iostream>\nint main() {\n    long long a, b;\n"
    "    std::cin >> a >> b;\n    std::cout << a + b << '\\n';\n}\n",
    Language.java: "import java.util.Scanner;\n\npublic class Main {\n"
    "    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n"
    "        long a = in.nextLong(), b = in.nextLong();\n        System.out.println(a + b);\n"
    "    }\n}\n",
    Language.javascript: 'const [a, b] = require("fs").readFileSync(0, "utf8").trim()'
    ".split(/\\s+/).map(Number);\nconsole.log(a + b);\n",
    Language.rust: "use std::io::Read;\n\nfn main() {\n    let mut text = String::new();\n"
    "    std::io::stdin().read_to_string(&mut text).unwrap();\n"
    "    let v: Vec<i64> = text.split_whitespace().map(|x| x.parse().unwrap()).collect();\n"
    '    println!("{}", v[0] + v[1]);\n}\n',
    Language.pypy: "a, b = map(int, input().split())\nprint(a + b)\n",
    Language.go: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int64\n'
    "\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)\n}\n",
}
# What many C++ samples open with: every standard header, the slowest common build.
ADD_BITS = (
    "#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n"
    "    ios::sync_with_stdio(false);\n    cin.tie(nullptr);\n    long long a, b;\n"
    "    cin >> a >> b;\n    cout << a + b << '\\n';\n}\n"
)
NATIVE_SUMS = {
    Language.cpp: (
        "#include <cstdio>\nint main() {\n    int n;\n    long long s = 0, x;\n"
        '    if (scanf("%d", &n) != 1) return 1;\n'
        '    for (int i = 0; i < n && scanf("%lld", &x) == 1; ++i) s += x;\n'
        '    printf("%lld\\n", s);\n}\n',
        "#include <iostream>\nint main() {\n    std::ios::sync_with_stdio(false);\n"
        "    std::cin.tie(nullptr);\n    int n;\n    std::cin >> n;\n    long long s = 0;\n"
        "    for (int i = 0; i < n; ++i) {\n        long long x;\n        std::cin >> x;\n"
        "        s += x;\n    }\n    std::cout << s << '\\n';\n}\n",
        "#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n    int n;\n    cin >> n;\n"
        "    vector<long long> v(n);\n    for (auto& x : v) cin >> x;\n"
        "    cout << accumulate(v.begin(), v.end(), 0LL) << endl;\n}\n",
    ),
    Language.c: (
        "#include <stdio.h>\nint main(void) {\n    int n;\n    long long s = 0, x;\n"
        '    if (scanf("%d", &n) != 1) return 1;\n'
        '    for (int i = 0; i < n && scanf("%lld", &x) == 1; ++i) s += x;\n'
        '    printf("%lld\\n", s);\n    return 0;\n}\n',
        "#include <stdio.h>\n#include <stdlib.h>\nstatic char buf[1 << 16];\n"
        "int main(void) {\n    size_t len = fread(buf, 1, sizeof buf - 1, stdin);\n"
        "    buf[len] = 0;\n    char *p = buf;\n    long n = strtol(p, &p, 10);\n"
        "    long long s = 0;\n    for (long i = 0; i < n; ++i) s += strtoll(p, &p, 10);\n"
        '    printf("%lld\\n", s);\n    return 0;\n}\n',
    ),
}
NATIVE_SUMS[Language.java] = (
    "import java.io.*;\n\npublic class Main {\n"
    "    public static void main(String[] args) throws IOException {\n"
    "        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));\n"
    "        in.nextToken();\n        int n = (int) in.nval;\n        long s = 0;\n"
    "        for (int i = 0; i < n; i++) {\n            in.nextToken();\n"
    "            s += (long) in.nval;\n        }\n        System.out.println(s);\n    }\n}\n",
    "import java.util.*;\n\npublic class Main {\n"
    "    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n"
    "        int n = in.nextInt();\n        long s = 0;\n"
    "        for (int i = 0; i < n; i++) s += in.nextLong();\n        System.out.println(s);\n"
    "    }\n}\n",
)
NATIVE_SUMS[Language.javascript] = (
    'const d = require("fs").readFileSync(0, "utf8").split(/\\s+/).filter(Boolean).map(Number);\n'
    "let s = 0;\nfor (let i = 1; i <= d[0]; i++) s += d[i];\nconsole.log(s);\n",
    'const lines = require("fs").readFileSync(0, "utf8").split("\\n");\n'
    "const n = parseInt(lines[0], 10);\n"
    'const v = lines[1].trim().split(" ").slice(0, n).map((x) => parseInt(x, 10));\n'
    "console.log(String(v.reduce((a, b) => a + b, 0)));\n",
)
NATIVE_SUMS[Language.rust] = (
    "use std::io::Read;\n\nfn main() {\n    let mut text = String::new();\n"
    "    std::io::stdin().read_to_string(&mut text).unwrap();\n"
    "    let mut it = text.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());\n"
    "    let n = it.next().unwrap() as usize;\n    let s: i64 = it.take(n).sum();\n"
    '    println!("{}", s);\n}\n',
    "use std::io::{self, BufRead, Write};\n\nfn main() {\n    let stdin = io::stdin();\n"
    "    let mut lines = stdin.lock().lines();\n"
    "    let n: usize = lines.next().unwrap().unwrap().trim().parse().unwrap();\n"
    "    let line = lines.next().unwrap().unwrap();\n"
    "    let s: i64 = line.split(' ').take(n).map(|x| x.trim().parse::<i64>().unwrap()).sum();\n"
    '    writeln!(io::stdout(), "{}", s).unwrap();\n}\n',
)
NATIVE_SUMS[Language.pypy] = (
    "import sys\n\ndata = sys.stdin.buffer.read().split()\nn = int(data[0])\n"
    "print(sum(map(int, data[1 : n + 1])))\n",
    "n = int(input())\nprint(sum(int(x) for x in input().split()[:n]))\n",
)
NATIVE_SUMS[Language.go] = (
    'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n'
    "\tin := bufio.NewReader(os.Stdin)\n\tvar n int\n\tfmt.Fscan(in, &n)\n\tvar s int64\n"
    "\tfor i := 0; i < n; i++ {\n\t\tvar x int64\n\t\tfmt.Fscan(in, &x)\n\t\ts += x\n\t}\n"
    "\tfmt.Println(s)\n}\n",
    'package main\n\nimport (\n\t"bufio"\n\t"os"\n\t"strconv"\n)\n\nfunc main() {\n'
    "\tsc := bufio.NewScanner(os.Stdin)\n\tsc.Buffer(make([]byte, 1<<20), 1<<20)\n"
    "\tsc.Split(bufio.ScanWords)\n\tsc.Scan()\n\tn, _ := strconv.Atoi(sc.Text())\n"
    "\tvar s int64\n\tfor i := 0; i < n && sc.Scan(); i++ {\n"
    "\t\tx, _ := strconv.ParseInt(sc.Text(), 10, 64)\n\t\ts += x\n\t}\n"
    '\tos.Stdout.WriteString(strconv.FormatInt(s, 10) + "\\n")\n}\n',
)
# Wrong once the input is long: only the first 100 numbers count.
NATIVE_WRONG_SUMS = {
    Language.cpp: "#include <iostream>\nint main() {\n    int n;\n    std::cin >> n;\n"
    "    long long s = 0;\n    for (int i = 0; i < n && i < 100; ++i) {\n        long long x;\n"
    "        std::cin >> x;\n        s += x;\n    }\n    std::cout << s << '\\n';\n}\n",
    Language.c: "#include <stdio.h>\nint main(void) {\n    int n;\n    long long s = 0, x;\n"
    '    if (scanf("%d", &n) != 1) return 1;\n'
    '    for (int i = 0; i < n && i < 100 && scanf("%lld", &x) == 1; ++i) s += x;\n'
    '    printf("%lld\\n", s);\n    return 0;\n}\n',
}
NATIVE_WRONG_SUMS[Language.java] = (
    "import java.util.*;\n\npublic class Main {\n"
    "    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n"
    "        int n = in.nextInt();\n        long s = 0;\n"
    "        for (int i = 0; i < n && i < 100; i++) s += in.nextLong();\n"
    "        System.out.println(s);\n    }\n}\n"
)
NATIVE_WRONG_SUMS[Language.javascript] = (
    'const d = require("fs").readFileSync(0, "utf8").split(/\\s+/).filter(Boolean).map(Number);\n'
    "let s = 0;\nfor (let i = 1; i <= d[0] && i <= 100; i++) s += d[i];\nconsole.log(s);\n"
)
NATIVE_WRONG_SUMS[Language.rust] = (
    "use std::io::Read;\n\nfn main() {\n    let mut text = String::new();\n"
    "    std::io::stdin().read_to_string(&mut text).unwrap();\n"
    "    let mut it = text.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());\n"
    "    let n = it.next().unwrap() as usize;\n    let s: i64 = it.take(n.min(100)).sum();\n"
    '    println!("{}", s);\n}\n'
)
NATIVE_WRONG_SUMS[Language.pypy] = (
    "import sys\n\ndata = sys.stdin.buffer.read().split()\nn = min(int(data[0]), 100)\n"
    "print(sum(map(int, data[1 : n + 1])))\n"
)
NATIVE_WRONG_SUMS[Language.go] = (
    'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n'
    "\tin := bufio.NewReader(os.Stdin)\n\tvar n int\n\tfmt.Fscan(in, &n)\n\tvar s int64\n"
    "\tfor i := 0; i < n && i < 100; i++ {\n\t\tvar x int64\n\t\tfmt.Fscan(in, &x)\n"
    "\t\ts += x\n\t}\n\tfmt.Println(s)\n}\n"
)
# Kattis sets time limits from its accepted runs: hello_alarm.c spins for 1 s of wall time.
KATTIS_NATIVE_TIME_S = 2.0
NATIVE_NAMES = {
    Language.c: "C",
    Language.cpp: "C++",
    Language.java: "Java",
    Language.javascript: "JavaScript",
    Language.rust: "Rust",
    Language.pypy: "PyPy",
    Language.go: "Go",
}
# The languages whose own programs the Kattis examples carry, for `kattis_native`.
KATTIS_NATIVE = (Language.c, Language.cpp)


def tagged(source: str, tag: str, language: Language = Language.cpp) -> str:
    """`source` with a leading comment naming `tag`, in `language`'s comment syntax: a
    source no build has seen, when the tag is new."""
    if not tag:
        return source
    mark = "#" if language in (Language.python, Language.pypy) else "//"
    return f"{mark} {tag}\n{source}"


# Checkers of each protocol for the a+b tests, in the bench's own words: the program's first
# token against the answer's.
ADD_CHECKERS = {
    CheckerProtocol.testlib: (
        Language.cpp,
        "#include <fstream>\n#include <string>\n"
        "int main(int argc, char** argv) {\n    if (argc < 4) return 3;\n"
        "    std::ifstream out(argv[2]), ans(argv[3]);\n    std::string got, want;\n"
        "    if (!(ans >> want)) return 3;\n    if (!(out >> got)) return 2;\n"
        "    return got == want ? 0 : 1;\n}\n",
    ),
    CheckerProtocol.kattis: (
        Language.cpp,
        "#include <fstream>\n#include <iostream>\n#include <string>\n"
        "int main(int argc, char** argv) {\n    if (argc < 4) return 1;\n"
        "    std::ifstream ans(argv[2]);\n    std::string got, want;\n"
        "    if (!(ans >> want)) return 1;\n"
        "    return (std::cin >> got) && got == want ? 42 : 43;\n}\n",
    ),
    CheckerProtocol.python: (
        Language.python,
        "import sys\n\ngot = open(sys.argv[2]).read().split()\n"
        "want = open(sys.argv[3]).read().split()\nprint(1 if got[:1] == want[:1] else 0)\n",
    ),
    # A communication task's manager: the test's a and b to every run of the program, each
    # run's first number against a + b; the adder itself is the program, run MANAGER_RUNS
    # times at once.
    CheckerProtocol.manager: (
        Language.cpp,
        "#include <cstdio>\n"
        "int main(int argc, char** argv) {\n    long long a, b, got;\n"
        '    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;\n'
        "    int right = 0, runs = (argc - 1) / 2;\n"
        "    for (int run = 0; run < runs; run++) {\n"
        '        std::FILE* to = std::fopen(argv[2 + 2 * run], "w");\n'
        "        if (!to) return 1;\n"
        '        std::fprintf(to, "%lld %lld\\n", a, b);\n        std::fclose(to);\n    }\n'
        "    for (int run = 0; run < runs; run++) {\n"
        '        std::FILE* from = std::fopen(argv[1 + 2 * run], "r");\n'
        '        if (from && std::fscanf(from, "%lld", &got) == 1 && got == a + b) right++;\n'
        "    }\n"
        '    std::printf("%d\\n", right == runs ? 1 : 0);\n}\n',
    ),
}
MANAGER_RUNS = 2


# An interactive problem of the bench's own (Kattis protocol): the interactor says "n" and
# answers each "? q" with 1 when the hidden number is at least q, until "! x".
GUESS_INTERACTOR = (
    "#include <cstdio>\n#include <cstdlib>\n"
    "int main(int argc, char** argv) {\n    long n, hidden, q;\n    char word[4];\n"
    '    FILE* in = argc > 3 ? std::fopen(argv[1], "r") : nullptr;\n'
    '    if (!in || std::fscanf(in, "%ld %ld", &n, &hidden) != 2) return 1;\n'
    '    std::printf("%ld\\n", n);\n    std::fflush(stdout);\n'
    "    for (int asked = 0; asked <= 64; asked++) {\n"
    '        if (std::scanf("%3s %ld", word, &q) != 2) return 43;\n'
    "        if (word[0] == '!') return q == hidden ? 42 : 43;\n"
    '        std::printf("%d\\n", hidden >= q ? 1 : 0);\n        std::fflush(stdout);\n'
    "    }\n    return 43;\n}\n"
)
GUESS_PROGRAM = (
    "#include <cstdio>\nint main() {\n    long lo = 1, hi, answer;\n"
    '    if (std::scanf("%ld", &hi) != 1) return 1;\n'
    "    while (lo < hi) {\n        long mid = (lo + hi + 1) / 2;\n"
    '        std::printf("? %ld\\n", mid);\n        std::fflush(stdout);\n'
    '        if (std::scanf("%ld", &answer) != 1) return 1;\n'
    "        if (answer) lo = mid; else hi = mid - 1;\n    }\n"
    '    std::printf("! %ld\\n", lo);\n    std::fflush(stdout);\n}\n'
)


def guess_submission(tests: int, *, tag: str = "") -> Submission:
    """The bench's interactive problem (a number in 1..1000, about ten questions a test),
    its C++ binary search against its Kattis-protocol interactor."""
    cases = [
        StdioCase(input=f"1000 {1 + (i * 389) % 1000}\n", output=f"{1 + (i * 389) % 1000}\n")
        for i in range(tests)
    ]
    interactor = Checker(protocol=CheckerProtocol.kattis, source=GUESS_INTERACTOR, interactive=True)
    return Submission(
        language=Language.cpp,
        code=tagged(GUESS_PROGRAM, tag, Language.cpp),
        tests=StdioTestSet(cases=cases, checker=interactor),
    )


def adder_submission(
    language: Language,
    tests: int,
    *,
    tag: str = "",
    checker: CheckerProtocol | None = None,
) -> Submission:
    """The trivial a+b program in `language` on `tests` small inputs, its output compared
    by the default comparator or by a checker of `checker`'s protocol (a manager talks
    with MANAGER_RUNS runs of it at once)."""
    cases = [StdioCase(input=f"{i} {i * i}\n", output=f"{i + i * i}\n") for i in range(tests)]
    judged_by = None
    if checker is not None:
        checker_language, source = ADD_CHECKERS[checker]
        runs = MANAGER_RUNS if checker == CheckerProtocol.manager else 1
        judged_by = Checker(
            protocol=checker, language=checker_language, source=source, processes=runs
        )
    return Submission(
        language=language,
        code=tagged(ADD[language], tag, language),
        tests=StdioTestSet(cases=cases, checker=judged_by),
    )


def kattis_native(root: Path, *, tag: str = "") -> Workload:
    """The Kattis examples' accepted C and C++ programs, under each package's memory limit."""
    folder = root / "kattis-problemtools-examples"
    items: list[Item] = []
    for problem, comparator in sorted(KATTIS_COMPARATORS.items()):
        tests = _kattis_tests(folder / problem)
        limits = _kattis_native_limits(folder / problem)
        for path in sorted((folder / problem / "submissions" / "accepted").iterdir()):
            language = language_of(path)
            if language is None or language not in KATTIS_NATIVE:
                continue
            submission = Submission(
                language=language,
                code=tagged(path.read_text(), tag, language),
                tests=tests,
                limits=limits,
                comparator=Comparator(name=comparator),
            )
            items.append(Item(f"{problem}/{path.name}", submission))
    return Workload(
        "kattis C/C++",
        "Kattis problemtools examples: the accepted C and C++ programs on their stdio tests,"
        f" {KATTIS_NATIVE_TIME_S:g} s per test, each package's memory limit.  One of them"
        " (hello_alarm.c) spins until a 1 s alarm, so each pass lasts about 1 s in both"
        " modes: its ratio stays near 1 whatever the rest costs.",
        items,
    )


def _kattis_native_limits(problem: Path) -> Limits:
    """problem.yaml's `limits: memory:` (MiB) where the package sets one."""
    found = re.search(r"^\s+memory:\s*(\d+)\s*$", (problem / "problem.yaml").read_text(), re.M)
    memory = {"memory_mb": int(found.group(1))} if found else {}
    return Limits(time_s=KATTIS_NATIVE_TIME_S, **memory)


def stdio15_native(language: Language, programs: int, *, tag: str = "") -> Workload:
    """stdio15's problems in a compiled language (or PyPy): distinct sources, a quarter of
    them wrong."""
    rng = random.Random(15)
    problems = [_sum_tests(rng) for _ in range(10)]
    right = NATIVE_SUMS[language]
    items = []
    for i in range(programs):
        code = NATIVE_WRONG_SUMS[language] if i % 4 == 3 else right[i % len(right)]
        submission = Submission(
            language=language,
            code=tagged(code, f"{tag} sample {i}", language),
            tests=problems[i % len(problems)],
        )
        items.append(Item(f"{language.value}-sum[{i}]", submission))
    name = NATIVE_NAMES[language]
    return Workload(
        f"stdio15 {name}",
        f"Synthetic: stdio15's problems in {name}, {programs} distinct submissions in"
        f" {len(right)} styles, one in four wrong on inputs longer than 100 numbers.",
        items,
    )


LOADERS: dict[str, Callable[[Path], Workload]] = {
    "humaneval": humaneval,
    "leetcode": leetcode,
    "mbpp": mbpp,
    "kattis": kattis,
}
SYNTHETIC = ("trivial", "stdio15")
ALL = (*LOADERS, *SYNTHETIC)
