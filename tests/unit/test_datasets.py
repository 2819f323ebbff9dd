"""Dataset converters, checked on the real shared data and on small synthetic rows."""

from __future__ import annotations

import ast
import contextlib
import gzip
import importlib.util
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from crucible.datasets import (
    LEETCODE_PRELUDE,
    deepcoder_submission,
    deepcoder_testset,
    humaneval_submission,
    leetcode_submission,
    mbpp_plus_submission,
    mbpp_submission,
    read_json,
    read_jsonl,
)
from crucible.schema import (
    AssertTestSet,
    CallCase,
    CallTestSet,
    Comparator,
    Limits,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
)

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def data(relative: str) -> Path:
    path = DATASETS / relative
    if not path.is_file():
        pytest.fail(f"shared dataset file missing: {path}")
    return path


def rows(relative: str) -> list[dict[str, Any]]:
    path = data(relative)
    if path.name.endswith((".jsonl", ".jsonl.gz")):
        return list(read_jsonl(path))
    loaded = read_json(path)
    assert isinstance(loaded, list)
    return loaded


def run(source: str) -> dict[str, Any]:
    """Execute trusted reference code the way the judge composes it; old rows warn."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        exec(compile(source, "<dataset>", "exec"), namespace)
    return namespace


def top_level_asserts(code: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        tree = ast.parse(code)
    return sum(isinstance(node, ast.Assert) for node in tree.body)


def assert_tests(submission: Submission) -> AssertTestSet:
    assert isinstance(submission.tests, AssertTestSet)
    return submission.tests


# --- HumanEval ---------------------------------------------------------------------------


def test_humaneval_all_rows_pass_with_canonical_solution() -> None:
    humaneval = rows("humaneval/HumanEval.jsonl.gz")
    assert len(humaneval) == 164
    for row in humaneval:
        submission = humaneval_submission(row)
        tests = assert_tests(submission)
        assert submission.code == row["prompt"] + row["canonical_solution"]
        assert (tests.code, tests.entry_point) == (row["test"], row["entry_point"])
        # The prelude is the prompt's helpers, which run the test on their own.
        run(f"{submission.code}\n{tests.code}\ncheck({tests.entry_point})\n")
        if tests.prelude:
            run(f"{submission.code}\n{tests.prelude}\n{tests.code}\ncheck({tests.entry_point})\n")
    with_helpers = [r["task_id"] for r in humaneval if humaneval_submission(r).tests.prelude]
    assert with_helpers == ["HumanEval/10", "HumanEval/32", "HumanEval/38", "HumanEval/50"]


def test_a_humaneval_prelude_is_the_prompt_less_its_entry_point() -> None:
    row = rows("humaneval/HumanEval.jsonl.gz")[38]
    prelude = assert_tests(humaneval_submission(row)).prelude
    assert prelude.startswith("def encode_cyclic(s: str):")
    assert "def decode_cyclic" not in prelude


def test_humaneval_completion_follows_prompt() -> None:
    row = rows("humaneval/HumanEval.jsonl.gz")[0]
    assert row["task_id"] == "HumanEval/0"
    submission = humaneval_submission(row, completion="    return False\n")
    assert submission.code == row["prompt"] + "    return False\n"
    assert assert_tests(submission).entry_point == "has_close_elements"


# --- MBPP ----------------------------------------------------------------------------------


def test_mbpp_all_rows_convert() -> None:
    mbpp = rows("mbpp/mbpp.jsonl")
    assert len(mbpp) == 974
    for row in mbpp:
        submission = mbpp_submission(row)
        tests = assert_tests(submission)
        assert submission.code == row["code"]
        assert tests.entry_point is None
        expected = len(row["test_list"]) + len(row["challenge_test_list"])
        assert top_level_asserts(tests.code) == expected
        base = assert_tests(mbpp_submission(row, include_challenge=False))
        assert top_level_asserts(base.code) == len(row["test_list"])
        assert "\r" not in tests.code


def test_mbpp_spot_rows() -> None:
    by_id = {row["task_id"]: row for row in rows("mbpp/mbpp.jsonl")}
    first = assert_tests(mbpp_submission(by_id[1]))
    assert first.code == (
        "assert min_cost([[1, 2, 3], [4, 8, 2], [1, 5, 3]], 2, 2) == 8\n"
        "assert min_cost([[2, 3, 4], [5, 9, 3], [2, 6, 4]], 2, 2) == 12\n"
        "assert min_cost([[3, 4, 5], [6, 10, 4], [3, 7, 5]], 2, 2) == 16\n"
    )
    # Row 367's setup code builds trees from the program's Node class before the asserts.
    setup = assert_tests(mbpp_submission(by_id[367])).code
    assert setup.startswith("root = Node(1) \nroot.left = Node(2) \n")
    assert setup.endswith("assert is_tree_balanced(root2) == False \n")
    # Row 11 carries two challenge asserts.
    assert top_level_asserts(assert_tests(mbpp_submission(by_id[11])).code) == 5


def test_mbpp_reference_programs_pass_spot_rows() -> None:
    by_id = {row["task_id"]: row for row in rows("mbpp/mbpp.jsonl")}
    for task_id in (1, 2, 11, 367, 927):
        submission = mbpp_submission(by_id[task_id])
        run(f"{submission.code}\n{assert_tests(submission).code}")


def test_mbpp_code_replaces_reference() -> None:
    row = rows("mbpp/mbpp.jsonl")[0]
    assert mbpp_submission(row, code="def min_cost(*a): pass\n").code == "def min_cost(*a): pass\n"


def test_mbpp_sanitized_all_rows_convert() -> None:
    sanitized = rows("mbpp/sanitized-mbpp.json")
    assert len(sanitized) == 427
    for row in sanitized:
        submission = mbpp_submission(row)
        tests = assert_tests(submission)
        assert submission.code == row["code"]
        assert top_level_asserts(tests.code) == len(row["test_list"])
        for line in row["test_imports"]:
            assert tests.code.startswith(line)
    with_imports = [row for row in sanitized if row["test_imports"]]
    assert with_imports
    tests = assert_tests(mbpp_submission(with_imports[0]))
    assert tests.code.startswith("import math\nassert ")
    submission = mbpp_submission(with_imports[0])
    run(f"{submission.code}\n{tests.code}")


def test_mbpp_plus_all_rows_and_known_bad_oracles() -> None:
    plus = rows("evalplus/MbppPlus.jsonl")
    assert len(plus) == 399
    failing = []
    for row in plus:
        submission = mbpp_plus_submission(row)
        tests = assert_tests(submission)
        assert submission.code == row["prompt"] + row["canonical_solution"]
        assert tests.code == "import math\n" + row["assertion"]
        assert top_level_asserts(tests.code) >= 1
        try:
            run(f"{submission.code}\n{tests.code}")
        except AssertionError:
            failing.append(row["task_id"])
    # Upstream rewrote these two oracles; the old assertions reject the new solutions.
    assert failing == ["Mbpp/164", "Mbpp/295"]


def test_mbpp_plus_code_is_the_whole_program() -> None:
    row = rows("evalplus/MbppPlus.jsonl")[0]
    assert mbpp_plus_submission(row, code="pass\n").code == "pass\n"


# --- LeetCode (rllm) -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("test_leetcode", 200), ("train_leetcode", 1889)])
def test_leetcode_all_rows_convert(name: str, count: int) -> None:
    leetcode = rows(f"rllm-deepcoder/{name}.json")
    assert len(leetcode) == count
    for row in leetcode:
        submission = leetcode_submission(row)
        tests = assert_tests(submission)
        assert submission.code == row["solutions"]
        assert tests.code == row["tests"]["functional"]
        assert tests.prelude == LEETCODE_PRELUDE
        assert tests.entry_point is None
        assert deepcoder_submission(row) == submission
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            compile(submission.code + "\n" + tests.code, name, "exec")


def test_leetcode_spot_row() -> None:
    row = rows("rllm-deepcoder/test_leetcode.json")[0]
    tests = assert_tests(leetcode_submission(row, code="class Solution: pass\n"))
    assert tests.code == (
        "def check(candidate):\n"
        "    assert candidate(nums = [3,1,5,4,2], k = 2) == 4\n"
        "    assert candidate(nums = [3,1,5,4,2], k = 5) == 5\n"
        "    assert candidate(nums = [3,2,5,3,1], k = 3) == 4\n"
        "\n\n"
        "check(Solution().minOperations)"
    )


def test_leetcode_reference_solutions_pass() -> None:
    pytest.importorskip("numpy")
    has_sortedcontainers = importlib.util.find_spec("sortedcontainers") is not None
    checked = 0
    for row in rows("rllm-deepcoder/test_leetcode.json"):
        submission = leetcode_submission(row)
        if "sortedcontainers" in submission.code and not has_sortedcontainers:
            continue
        run(f"{LEETCODE_PRELUDE}\n{submission.code}\n{assert_tests(submission).code}")
        checked += 1
    assert checked >= 199


def test_leetcode_prelude_compiles() -> None:
    compile(LEETCODE_PRELUDE, "prelude", "exec")
    assert "import pandas" not in LEETCODE_PRELUDE  # bound lazily, see test below
    assert "from time import time" in LEETCODE_PRELUDE


def test_leetcode_prelude_defines_names() -> None:
    pytest.importorskip("numpy")
    namespace = run(LEETCODE_PRELUDE)
    source = data("rllm-deepcoder/leetcode_prelude.py.txt").read_text()
    reference = ast.parse(source)
    imported = {
        alias.asname or alias.name
        for node in reference.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    defined = {
        node.name for node in reference.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    expected = imported | defined
    assert "pd" in expected and "ListNode" in expected and len(expected) > 90
    assert sorted(name for name in expected if name not in namespace) == []
    # pandas is bound lazily: nothing is imported until the first attribute access.
    assert type(namespace["pd"]).__name__ == "_LazyModule"
    # Every imported name is bound to the same object as in DeepCoder's judge: `bisect`,
    # `copy` and `string` name modules there, because their plain imports come last.
    upstream = run(source.replace("import pandas as pd\n", ""))
    imported.discard("pd")
    assert sorted(name for name in imported if namespace[name] is not upstream[name]) == []
    for module in ("bisect", "copy", "string", "heapq"):
        assert type(namespace[module]).__name__ == "module", module
    assert callable(namespace["time"])
    assert namespace["np"].__name__ == "numpy"


def test_leetcode_prelude_helpers() -> None:
    namespace = run(LEETCODE_PRELUDE.replace("import numpy as np\n", ""))
    list_node, is_same_list = namespace["list_node"], namespace["is_same_list"]
    tree_node, is_same_tree = namespace["tree_node"], namespace["is_same_tree"]
    head = list_node([1, 2, 3])
    assert (head.val, head.next.val, head.next.next.val, head.next.next.next) == (1, 2, 3, None)
    assert list_node([]) is None
    assert is_same_list(list_node([1, 2]), list_node([1, 2]))
    assert not is_same_list(list_node([1, 2]), list_node([1, 2, 3]))
    assert not is_same_list(list_node([1, 3]), list_node([1, 2]))
    assert is_same_list(None, list_node([]))

    root = tree_node([1, None, 2, 3])
    assert (root.val, root.left, root.right.val, root.right.left.val) == (1, None, 2, 3)
    assert root.right.right is None
    full = tree_node([3, 9, 20, None, None, 15, 7])
    assert (full.left.val, full.left.left, full.right.left.val, full.right.right.val) == (
        9,
        None,
        15,
        7,
    )
    assert tree_node([]) is None
    assert is_same_tree(tree_node([1, 2, 3]), tree_node([1, 2, 3]))
    assert not is_same_tree(tree_node([1, 2]), tree_node([1, None, 2]))
    assert not is_same_tree(tree_node([1, 2, 3]), tree_node([1, 2, 4]))
    assert is_same_tree(None, None)
    # A 5,000-deep left spine: comparing it must not hit the recursion limit.
    spine = [0, *(v for value in range(1, 5000) for v in (value, None))]
    assert is_same_tree(tree_node(spine), tree_node(spine))
    assert not is_same_tree(tree_node(spine), tree_node([*spine[:-2], -1]))


# --- DeepCoder stdio sets (rllm) ------------------------------------------------------------


def test_code_contests_all_rows() -> None:
    contests = rows("rllm-deepcoder/test_code_contests.json")
    assert len(contests) == 165
    for row in contests:
        tests = deepcoder_testset(row["tests"])
        assert isinstance(tests, StdioTestSet)
        assert len(tests.cases) == len(row["tests"]["inputs"]) == len(row["tests"]["outputs"])
        assert [case.input for case in tests.cases] == row["tests"]["inputs"]
        assert [case.output for case in tests.cases] == row["tests"]["outputs"]
    first = deepcoder_submission(contests[0], code="print()")
    assert isinstance(first.tests, StdioTestSet)
    assert first.tests.cases[0] == StdioCase(
        input="5 2\nAA\nAB\nBB\nBA\nAZ\n", output="5 2 1 3 4 \n"
    )
    assert sum(len(deepcoder_testset(row["tests"]).cases) for row in contests) == 1837


def test_codeforces_all_rows() -> None:
    codeforces = rows("rllm-deepcoder/test_codeforces.json")
    assert len(codeforces) == 408
    for row in codeforces:
        tests = deepcoder_testset(row["tests"])
        assert isinstance(tests, StdioTestSet)
        assert [(c.input, c.output) for c in tests.cases] == [
            (t["input"], t["output"]) for t in row["tests"]
        ]
    first = deepcoder_testset(codeforces[0]["tests"])
    assert first.cases[0].input == "10\n1 9\n8 4\n1 4\n3 4\n2 0\n2 4\n6 9\n3 3\n0 0\n9 9"
    assert first.cases[0].output == "1 9\n4 8\n1 4\n3 4\n0 2\n2 4\n6 9\n3 3\n0 0\n9 9"


def test_json_string_tests_equal_parsed_tests() -> None:
    for relative in ("test_code_contests.json", "test_codeforces.json", "test_leetcode.json"):
        row = rows(f"rllm-deepcoder/{relative}")[0]
        assert deepcoder_testset(json.dumps(row["tests"])) == deepcoder_testset(row["tests"])


def test_rows_without_solutions_need_a_program() -> None:
    row = rows("rllm-deepcoder/test_codeforces.json")[0]
    with pytest.raises(ValueError, match="no reference solution"):
        deepcoder_submission(row)
    assert deepcoder_submission(row, response="```python\nprint(1)\n```").response is not None
    with pytest.raises(ValueError, match="at most one"):
        deepcoder_submission(row, code="print(1)", response="print(1)")


# --- Synthetic LiveCodeBench, TACO and PrimeIntellect rows ---------------------------------


def lcb(input_: str, output: str, func_name: Any = "maxSum") -> dict[str, Any]:
    return {
        "input": input_,
        "output": output,
        "testtype": "functional",
        "metadata": {"func_name": func_name} if func_name else {},
    }


def test_lcb_functional_arguments_one_json_value_per_line() -> None:
    tests = deepcoder_testset(
        [
            lcb("[1, 2, 3]\n4", "6"),
            lcb('"a\\nb"\n{"k": [1, 2]}\nnull\n', '[1, "x"]'),
            lcb("true", '"yes"'),
        ]
    )
    assert tests == CallTestSet(
        fn_name="maxSum",
        cases=[
            CallCase(args=[[1, 2, 3], 4], expected=6),
            CallCase(args=["a\nb", {"k": [1, 2]}, None], expected=[1, "x"]),
            CallCase(args=[True], expected="yes"),
        ],
    )


def test_lcb_one_element_list_output_is_not_unwrapped() -> None:
    tests = deepcoder_testset([lcb("[5]", "[5]")])
    assert isinstance(tests, CallTestSet)
    assert tests.cases[0] == CallCase(args=[[5]], expected=[5])


def test_lcb_function_name_sources() -> None:
    json_metadata = {**lcb("1", "1"), "metadata": json.dumps({"func_name": "f"})}
    named = deepcoder_testset([json_metadata])
    assert isinstance(named, CallTestSet) and named.fn_name == "f"
    unnamed = [lcb("1", "1", func_name=None)]
    with pytest.raises(ValueError, match="func_name"):
        deepcoder_testset(unnamed)
    from_row = deepcoder_testset(json.dumps(unnamed), fn_name="g")
    assert isinstance(from_row, CallTestSet) and from_row.fn_name == "g"
    with pytest.raises(ValueError, match="different functions"):
        deepcoder_testset([lcb("1", "1")], fn_name="other")
    row = {"problem": "p", "tests": json.dumps(unnamed), "metadata": json.dumps({"func_name": "h"})}
    submission = deepcoder_submission(row, code="class Solution: pass")
    assert isinstance(submission.tests, CallTestSet) and submission.tests.fn_name == "h"


def test_lcb_stdin_tests() -> None:
    tests = deepcoder_testset(
        [{"input": "1 2\n", "output": "3\n", "testtype": "stdin", "metadata": {}}] * 2
    )
    assert tests == StdioTestSet(cases=[StdioCase(input="1 2\n", output="3\n")] * 2)


def test_lcb_mixed_test_types_rejected() -> None:
    mixed = [lcb("1", "1"), {"input": "1", "output": "1", "testtype": "stdin"}]
    with pytest.raises(ValueError, match="test types"):
        deepcoder_testset(mixed)


def test_taco_fn_name_outputs_unwrapped() -> None:
    tests = deepcoder_testset(
        {
            "fn_name": "solve",
            "inputs": [[1, 2], [[3, 4]], ["ab"], []],
            "outputs": [[3], [[7, 7]], [1, 2], 5],
        }
    )
    assert tests == CallTestSet(
        fn_name="solve",
        cases=[
            CallCase(args=[1, 2], expected=3),
            CallCase(args=[[3, 4]], expected=[7, 7]),
            CallCase(args=["ab"], expected=[1, 2]),
            CallCase(args=[], expected=5),
        ],
    )


def test_taco_stdio_line_lists_joined() -> None:
    tests = deepcoder_testset({"inputs": [["1 2", "3"], "4\n"], "outputs": [["3", "x"], "4\n"]})
    assert tests == StdioTestSet(
        cases=[StdioCase(input="1 2\n3", output="3\nx"), StdioCase(input="4\n", output="4\n")]
    )


def test_primeintellect_list_with_fn_name() -> None:
    tests = deepcoder_testset(
        str([{"input": [2, 3], "output": [5], "fn_name": "add"}, {"input": [0, 0], "output": [0]}])
    )
    assert tests == CallTestSet(
        fn_name="add",
        cases=[CallCase(args=[2, 3], expected=5), CallCase(args=[0, 0], expected=0)],
    )


@pytest.mark.parametrize(
    ("tests", "message"),
    [
        ({"inputs": ["1"], "outputs": []}, "1 inputs but 0 outputs"),
        ({"inputs": [], "outputs": []}, "no cases"),
        ([], "unrecognised"),
        ({"cases": []}, "unrecognised"),
        ("not json {", "neither JSON"),
        ({"inputs": [1], "outputs": ["1"]}, "expected text"),
        ({"inputs": [{}], "outputs": [1], "fn_name": "f"}, "argument list"),
    ],
)
def test_bad_tests_rejected(tests: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        deepcoder_testset(tests)


# --- Options, solutions and loaders --------------------------------------------------------


def test_options_pass_through() -> None:
    row = rows("humaneval/HumanEval.jsonl.gz")[0]
    limits, policy = Limits(time_s=12), Policy(max_tests=15)
    comparator = Comparator(name="float")
    submission = humaneval_submission(row, limits=limits, policy=policy, comparator=comparator)
    assert (submission.limits, submission.policy, submission.comparator) == (
        limits,
        policy,
        comparator,
    )
    default = humaneval_submission(row)
    assert (default.limits, default.policy, default.comparator) == (
        Limits(),
        Policy(),
        Comparator(),
    )
    contest = rows("rllm-deepcoder/test_code_contests.json")[0]
    assert deepcoder_submission(contest, code="pass", limits=limits).limits == limits


@pytest.mark.parametrize(
    "solutions", [["print(1)", "print(2)"], json.dumps(["print(1)"]), "print(1)", ["", "print(1)"]]
)
def test_first_reference_solution(solutions: Any) -> None:
    row = {"problem": "p", "tests": [{"input": "", "output": "1"}], "solutions": solutions}
    assert deepcoder_submission(row).code == "print(1)"


def test_read_jsonl_plain_gzip_and_blank_lines(tmp_path: Path) -> None:
    plain = tmp_path / "rows.jsonl"
    plain.write_text('{"a": 1}\n\n{"a": 2}\n', encoding="utf-8")
    packed = tmp_path / "rows.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write('{"a": 1}\n{"a": 2}')
    assert list(read_jsonl(plain)) == list(read_jsonl(str(packed))) == [{"a": 1}, {"a": 2}]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must be an object"):
        list(read_jsonl(bad))
    (tmp_path / "value.json.gz").write_bytes(gzip.compress(b'{"x": [1]}'))
    assert read_json(tmp_path / "value.json.gz") == {"x": [1]}


def shape(node: Any) -> Any:
    """A tree or list as nested tuples, to compare helpers from two namespaces."""
    if node is None:
        return None
    if hasattr(node, "next"):
        return (node.val, shape(node.next))
    return (node.val, shape(node.left), shape(node.right))


def test_leetcode_prelude_helpers_match_upstream() -> None:
    ours = run(LEETCODE_PRELUDE.replace("import numpy as np\n", ""))
    source = data("rllm-deepcoder/leetcode_prelude.py.txt").read_text()
    upstream = run(source.replace("import pandas as pd\n", "").replace("import numpy as np\n", ""))
    trees = [[], [None], [1], [1, None, 2], [5, 4, 8, 11, None, 13, 4, 7, 2, None, None, 5, 1]]
    trees += [[1, 2, 3, None, None, None, None], [0, None, None, 1], [1, 2, None, 3, None, 4]]
    for values in trees:
        assert shape(ours["tree_node"](values)) == shape(upstream["tree_node"](values)), values
        assert shape(ours["list_node"](values)) == shape(upstream["list_node"](values)), values
        for other in trees:
            for kind, build in (("tree", "tree_node"), ("list", "list_node")):
                same = f"is_same_{kind}"
                mine = ours[same](ours[build](values), ours[build](other))
                theirs = upstream[same](upstream[build](values), upstream[build](other))
                assert mine == theirs, (kind, values, other)
