"""Data sets that carry programs in other languages: a file's language by its suffix (the
Kattis packages' programs), CodeContests' solutions by its language numbers, and DeepCoder
rows graded as C++."""

from __future__ import annotations

from pathlib import Path

import pytest

from crucible.datasets import code_contests_solutions, deepcoder_submission, language_of
from crucible.schema import Language

KATTIS = (
    Path(__file__).resolve().parents[3] / "shared" / "datasets" / "kattis-problemtools-examples"
)


def test_kattis_programs_get_their_language_by_suffix() -> None:
    found = {
        path.relative_to(KATTIS).as_posix(): language_of(path)
        for path in KATTIS.glob("*/submissions/*/*")
    }
    assert found["different/submissions/accepted/different.c"] == Language.c
    assert found["different/submissions/accepted/different.cc"] == Language.cpp
    assert found["oddecho/submissions/accepted/echo.cpp"] == Language.cpp
    assert found["hello/submissions/accepted/hello.py"] == Language.python
    assert found["different/submissions/accepted/Different.java"] == Language.java
    assert found["different/submissions/accepted/different.js"] == Language.javascript
    assert found["different/submissions/accepted/different.rs"] == Language.rust
    assert found["different/submissions/accepted/different.go"] == Language.go
    assert sum(language is Language.cpp for language in found.values()) >= 10


ROW = {
    "name": "1_A. Sum",
    "solutions": {
        "language": [2, 3, 4, 1, 2],
        "solution": [
            '#include <cstdio>\nint main(){int a,b;scanf("%d%d",&a,&b);printf("%d\\n",a+b);}',
            "print(sum(map(int, input().split())))",
            "class Main {}",
            "print sum(map(int, raw_input().split()))",
            "   ",
        ],
    },
    "incorrect_solutions": {"language": [2], "solution": ["int main(){return 1;}"]},
}


def test_code_contests_solutions_by_language() -> None:
    cpp = code_contests_solutions(ROW, Language.cpp)
    assert len(cpp) == 1 and cpp[0].startswith("#include <cstdio>")  # the blank one is dropped
    assert code_contests_solutions(ROW, Language.python) == [ROW["solutions"]["solution"][1]]
    assert code_contests_solutions(ROW, Language.java) == ["class Main {}"]
    assert code_contests_solutions(ROW, Language.c) == []
    wrong = code_contests_solutions(ROW, Language.cpp, incorrect=True)
    assert wrong == ["int main(){return 1;}"]
    assert code_contests_solutions({"name": "no solutions"}, Language.cpp) == []


def test_code_contests_solutions_must_pair_up() -> None:
    broken = {"solutions": {"language": [2, 3], "solution": ["int main(){}"]}}
    with pytest.raises(ValueError, match="differ in number"):
        code_contests_solutions(broken, Language.cpp)


def test_a_deepcoder_row_graded_as_cpp() -> None:
    row = {"problem": "add", "tests": [{"input": "2 3\n", "output": "5\n"}]}
    program = code_contests_solutions(ROW, Language.cpp)[0]
    submission = deepcoder_submission(row, code=program, language=Language.cpp)
    assert submission.language == Language.cpp and submission.code == program
    assert submission.tests is not None and submission.tests.kind == "stdio"
    answer = deepcoder_submission(row, response=f"```cpp\n{program}\n```", language=Language.cpp)
    assert answer.language == Language.cpp
