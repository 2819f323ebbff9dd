"""Program extraction: the program in a model's whole answer is its last fenced code block.

Reasoning (`<think>...</think>`) is dropped first, so code drafted while thinking never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crucible.schema import Language

# Info-string tags (compared lower-cased) that mark a block as a program in each language.
LANGUAGE_TAGS: dict[Language, frozenset[str]] = {
    Language.python: frozenset({"python", "py", "python3", "py3"}),
    Language.c: frozenset({"c"}),
    Language.cpp: frozenset({"cpp", "c++", "cc", "cxx", "hpp"}),
    Language.java: frozenset({"java"}),
    Language.javascript: frozenset({"javascript", "js", "node", "nodejs"}),
    Language.rust: frozenset({"rust", "rs"}),
    Language.pypy: frozenset({"python", "py", "python3", "py3", "pypy", "pypy3"}),
    Language.go: frozenset({"go", "golang"}),
}

_THINK_TAG = re.compile(r"</?think>", re.IGNORECASE)
# An opening fence: indentation, three or more backticks or tildes, an optional info string.
# A backtick fence's info string may not contain a backtick (CommonMark), so "```x```" is prose.
_OPEN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}(?=[^`]*$)|~{3,})(?P<info>.*)$")


@dataclass(frozen=True, slots=True)
class _Block:
    tag: str
    code: str


def extract_code(response: str, language: Language = Language.python) -> str | None:
    """The program in `response`, or None when it has none (the judge's `no_code`).

    The last block tagged with `language` wins, else the last untagged block; blocks tagged
    with another language (```text, ```bash) are never programs, and neither are empty ones.
    A fence left open at the end (the model ran out of tokens) is not a block.
    """
    answer = strip_reasoning(response)
    if answer is None:
        return None
    blocks = [block for block in _fenced_blocks(answer) if block.code]
    tagged = [block for block in blocks if block.tag in LANGUAGE_TAGS[language]]
    chosen = tagged or [block for block in blocks if not block.tag]
    return chosen[-1].code if chosen else None


def strip_reasoning(response: str) -> str | None:
    """`response` without its `<think>` blocks; None when reasoning never ends.

    A `</think>` with no opening tag (chat templates often open the block in the prompt)
    means everything before it was reasoning.
    """
    kept: list[str] = []
    position = 0
    inside = False
    for match in _THINK_TAG.finditer(response):
        closing = match.group().startswith("</")
        if not inside and not closing:
            kept.append(response[position : match.start()])
            inside = True
        elif closing and inside:
            inside = False
        elif closing:
            kept.clear()
        position = match.end()
    if inside:
        return None
    kept.append(response[position:])
    return "".join(kept)


def _fenced_blocks(text: str) -> list[_Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        opening = _OPEN_FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((j for j in range(index + 1, len(lines)) if close.match(lines[j])), None)
        if end is None:
            break  # unterminated: the answer was cut off inside this block
        info = opening["info"].strip().split()
        body = _dedent(lines[index + 1 : end], opening["indent"])
        blocks.append(_Block(tag=info[0].lower() if info else "", code=_tidy(body)))
        index = end + 1
    return blocks


def _dedent(lines: list[str], indent: str) -> list[str]:
    """Drop the opening fence's indentation from each line (a block nested in a list item)."""
    if not indent:
        return lines
    return [line.removeprefix(indent) for line in lines]


def _tidy(lines: list[str]) -> str:
    """The block's code with blank lines trimmed at both ends and one final newline."""
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return "\n".join(lines[start:stop]) + "\n" if stop > start else ""
