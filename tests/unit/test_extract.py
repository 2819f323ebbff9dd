"""Program extraction from model answers: reasoning, fences, tags, truncation."""

from __future__ import annotations

import pytest

from crucible.extract import extract_code, strip_reasoning
from crucible.schema import Language

FENCE = "```"


def fenced(code: str, tag: str = "python", fence: str = FENCE) -> str:
    return f"{fence}{tag}\n{code}{fence}\n"


def test_single_python_block() -> None:
    response = "Here it is:\n" + fenced("print(input())\n") + "Done."
    assert extract_code(response) == "print(input())\n"


def test_language_defaults_to_python() -> None:
    response = fenced("x = 1\n")
    assert extract_code(response, Language.python) == extract_code(response) == "x = 1\n"


def test_no_fence_is_no_code() -> None:
    assert extract_code("print(1)") is None
    assert extract_code("") is None
    assert extract_code("Use ```python``` blocks, inline.") is None


def test_last_block_wins() -> None:
    response = fenced("draft = 1\n") + "Better:\n" + fenced("final = 2\n")
    assert extract_code(response) == "final = 2\n"


@pytest.mark.parametrize("tag", ["python", "py", "python3", "Python", "PY", "py3"])
def test_python_tags(tag: str) -> None:
    assert extract_code(fenced("a = 1\n", tag=tag)) == "a = 1\n"


def test_tagged_block_preferred_over_later_untagged() -> None:
    response = fenced("solve()\n") + fenced("ignored = 0\n", tag="") + "Output:\n"
    assert extract_code(response) == "solve()\n"


def test_untagged_block_used_when_nothing_tagged() -> None:
    response = "Code:\n" + fenced("print(2)\n", tag="") + fenced("3\n", tag="text")
    assert extract_code(response) == "print(2)\n"


@pytest.mark.parametrize("tag", ["text", "bash", "cpp", "json", "output"])
def test_other_languages_are_not_programs(tag: str) -> None:
    assert extract_code(fenced("echo hi\n", tag=tag)) is None


def test_other_language_after_python_is_skipped() -> None:
    response = fenced("print(sum(map(int, input().split())))\n") + fenced("$ python a.py\n", "bash")
    assert extract_code(response) == "print(sum(map(int, input().split())))\n"


def test_info_string_first_word_is_the_tag() -> None:
    assert extract_code("``` python title=sol.py\nz = 3\n```") == "z = 3\n"


def test_tilde_fences() -> None:
    assert extract_code(fenced("t = 1\n", fence="~~~")) == "t = 1\n"


def test_longer_fence_holds_shorter_fence() -> None:
    response = "````python\ns = '''\n```\n'''\n````\n"
    assert extract_code(response) == "s = '''\n```\n'''\n"


def test_unterminated_final_fence_is_not_a_block() -> None:
    assert extract_code("Solution:\n```python\nimport sys\nfor line in sys.stdin:") is None


def test_unterminated_final_fence_leaves_earlier_blocks() -> None:
    response = fenced("first = 1\n") + "Refined:\n```python\nsecond = "
    assert extract_code(response) == "first = 1\n"


def test_trailing_and_leading_blank_lines_trimmed_indentation_kept() -> None:
    response = "```python\n\n\n    x = 1\n\tif x:\n\t\tpass\n   \n\n```"
    assert extract_code(response) == "    x = 1\n\tif x:\n\t\tpass\n"


def test_crlf_answer() -> None:
    assert extract_code("```python\r\na = 1\r\nb = 2\r\n```\r\n") == "a = 1\nb = 2\n"


def test_fence_closed_without_newline_at_end() -> None:
    assert extract_code("```python\nprint(1)\n```") == "print(1)\n"


def test_indented_fence_in_list_item() -> None:
    response = "1. Do this:\n   ```python\n   def f():\n       return 1\n   ```\n"
    assert extract_code(response) == "def f():\n    return 1\n"


def test_empty_block_is_not_a_program() -> None:
    assert extract_code(fenced("x = 1\n") + "```python\n\n```\n") == "x = 1\n"
    assert extract_code("```python\n```") is None


def test_think_block_dropped() -> None:
    response = "<think>\nMaybe:\n" + fenced("wrong = 1\n") + "</think>\nNo code here."
    assert extract_code(response) is None


def test_code_after_think_block() -> None:
    response = "<think>\n" + fenced("draft = 1\n") + "</think>\n" + fenced("answer = 2\n", tag="")
    assert extract_code(response) == "answer = 2\n"


def test_unterminated_think_is_all_reasoning() -> None:
    response = fenced("before = 0\n") + "<think>\n" + fenced("thinking = 1\n")
    assert extract_code(response) is None


def test_close_without_open_drops_what_precedes() -> None:
    response = "reasoning...\n" + fenced("draft = 1\n") + "</think>\nFinal:\n" + fenced("ok = 1\n")
    assert extract_code(response) == "ok = 1\n"
    assert extract_code("thinking " + fenced("draft = 1\n") + "</think> gave up") is None


def test_several_think_blocks() -> None:
    response = (
        "<think>a</think>" + fenced("keep = 1\n") + "<THINK>" + fenced("no = 2\n") + "</THINK>"
    )
    assert extract_code(response) == "keep = 1\n"


def test_strip_reasoning() -> None:
    assert strip_reasoning("<think>x</think>y") == "y"
    assert strip_reasoning("x</think>y<think>z</think>w") == "yw"
    assert strip_reasoning("y<think>z") is None
    assert strip_reasoning("plain") == "plain"


@pytest.mark.parametrize("tag", ["go", "golang", "Go"])
def test_go_tags(tag: str) -> None:
    program = 'package main\n\nfunc main() { println("hi") }\n'
    response = fenced(program, tag=tag) + fenced("print('not this')\n")
    assert extract_code(response, Language.go) == program
    assert extract_code(response) == "print('not this')\n"
