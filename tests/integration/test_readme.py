"""The hand-written docs' examples are tests: in README.md and every docs/*.md that is not a
generated report, each bash and Python block says what it is in a comment just above it, and
runs here as it says (`run`: as written, from the repository root or the folder named;
`live`: against a live stack at the docs' URL), giving what the page says it gives.  `ci`
blocks name the test that runs them; `fragment`s (a GPU, a cluster, a trainer's own model)
are at least well formed.  Every relative link in those pages leads to a file, and to a
heading there when it names one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import REPO, Stack

pytestmark = pytest.mark.integration

# Written by commands, not by hand (the benchmarks and settings_doc); their blocks are not
# examples.
GENERATED = ("benchmarks.md", "reliability.md", "settings.md")
HAND_WRITTEN = sorted(p for p in (REPO / "docs").glob("*.md") if p.name not in GENERATED)
DOCS = [REPO / "README.md", *HAND_WRITTEN]
README_URL = "http://127.0.0.1:8000"
ANNOTATION = re.compile(r"<!-- example: (run|live|ci|fragment)\b(.*?)-->")
KINDS = ("run", "live", "ci", "fragment")
TIMEOUT_S = 180


@dataclass(frozen=True)
class Example:
    kind: str
    note: str
    language: str
    code: str
    line: int
    page: str = "README.md"

    @property
    def id(self) -> str:
        return f"{Path(self.page).stem}-{self.kind}-{self.language}-line{self.line}"

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def cwd(self) -> Path:
        """`run in FOLDER`: the folder (relative to the repository); else the repository."""
        match = re.match(r"\s*in (\S+)", self.note)
        return (REPO / match.group(1)).resolve() if match else REPO


def examples(text: str, page: str = "README.md") -> list[Example]:
    found: list[Example] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        fence = line.strip()
        if fence not in ("```bash", "```python"):
            continue
        above = lines[number - 1] if number else ""
        match = ANNOTATION.fullmatch(above.strip())
        assert match, f"{page}:{number + 1}: a {fence[3:]} block without <!-- example: ... -->"
        end = next(n for n in range(number + 1, len(lines)) if lines[n].strip() == "```")
        code = textwrap.dedent("\n".join(lines[number + 1 : end]) + "\n")
        found.append(
            Example(match.group(1), match.group(2).strip(), fence[3:], code, number + 1, page)
        )
    return found


def page_name(path: Path) -> str:
    return str(path.relative_to(REPO))


EXAMPLES = [e for doc in DOCS for e in examples(doc.read_text(), page_name(doc))]


def test_the_pages_cover_the_readme_and_skip_the_generated_reports() -> None:
    names = {page_name(doc) for doc in DOCS}
    assert {"README.md", "docs/client.md", "docs/runtime.md"} <= names
    for generated in GENERATED:
        assert (REPO / "docs" / generated).is_file(), f"docs/{generated} is gone: update GENERATED"
        assert f"docs/{generated}" not in names


def test_the_docs_have_runnable_examples_of_each_kind() -> None:
    readme = {e.kind for e in EXAMPLES if e.page == "README.md"}
    assert {"run", "live"} <= readme
    assert len([e for e in EXAMPLES if e.kind in ("run", "live")]) >= 6


def test_an_unannotated_block_is_refused() -> None:
    with pytest.raises(
        AssertionError, match=re.escape("docs/x.md:2: a python block without <!-- example")
    ):
        examples("text\n```python\nprint(1)\n```\n", "docs/x.md")


# -- links --------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*```.*?^\s*```", re.S | re.M)


def anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text())
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.M):
        name, n = anchor(heading), 1
        while name in found:  # a repeated heading gets -1, -2, ...
            name, n = f"{anchor(heading)}-{n}", n + 1
        found.add(name)
    return found


def broken_links(path: Path) -> list[str]:
    broken: list[str] = []
    for target in dict.fromkeys(LINK.findall(FENCE.sub("", path.read_text()))):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file, _, fragment = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no such heading")
    return broken


def test_anchors_are_githubs() -> None:
    assert anchor("`/run_code` for verl's sandbox_fusion reward") == (
        "run_code-for-verls-sandbox_fusion-reward"
    )
    assert anchor("What the limits count (issue 12)") == "what-the-limits-count-issue-12"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other\n\n## Set up\n")
    page.write_text("[a](other.md#set-up) [b](other.md#gone) [c](missing.md) [d](https://x.y)\n")
    assert broken_links(page) == ["other.md#gone: no such heading", "missing.md: no such file"]


@pytest.mark.parametrize("doc", DOCS, ids=page_name)
def test_every_relative_link_leads_somewhere(doc: Path) -> None:
    assert not broken_links(doc), f"{page_name(doc)}: {broken_links(doc)}"


# -- what a bash block says it prints -----------------------------------------------------


def expected_outputs(code: str) -> list[str]:
    """The `# {...}` comments in a bash block: one per command that prints JSON, continued
    on `#  ` lines."""
    outputs: list[str] = []
    for line in code.splitlines():
        if line.startswith(("# {", "# [")):
            outputs.append(line[2:])
        elif line.startswith("#  ") and outputs:
            outputs[-1] += line[2:]
    return outputs


PAIR = re.compile(r'"(\w+)": ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)')


def claimed_pairs(comment: str) -> list[tuple[str, Any]]:
    """The literal `"key": value` pairs an output comment shows.  A string ending in `...`
    stands for any string; a decimal number for any number (times differ run to run)."""
    pairs: list[tuple[str, Any]] = []
    for key, raw in PAIR.findall(comment):
        value: Any = json.loads(raw)
        if isinstance(value, str) and value.endswith("..."):
            value = str
        elif isinstance(value, float):
            value = float
        pairs.append((key, value))
    return pairs


def holds(document: Any, key: str, value: Any) -> bool:
    """Whether `key` has `value` somewhere in `document` (a type: any value of that type)."""
    if isinstance(document, dict):
        if key in document:
            found = document[key]
            if value is str and isinstance(found, str):
                return True
            if value is float and isinstance(found, int | float) and not isinstance(found, bool):
                return True
            if type(found) is type(value) and found == value:
                return True
        return any(holds(v, key, value) for v in document.values())
    if isinstance(document, list):
        return any(holds(v, key, value) for v in document)
    return False


def json_documents(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return documents
        document, at = decoder.raw_decode(text, at)
        documents.append(document)


def test_the_output_matcher_fails_on_a_wrong_value() -> None:
    comment = '{"id": "843f...", "state": "done", "result": {"reward": 1, "time_s": 0.09}}'
    pairs = claimed_pairs(comment)
    good = {"id": "abc", "state": "done", "result": {"reward": 1, "time_s": 0.5}}
    assert all(holds(good, k, v) for k, v in pairs)
    bad = {"id": "abc", "state": "done", "result": {"reward": 0, "time_s": 0.5}}
    assert not all(holds(bad, k, v) for k, v in pairs)
    assert not holds({"reward": True}, "reward", 1)


# -- running them -------------------------------------------------------------------------


def run_example(example: Example, url: str | None) -> subprocess.CompletedProcess[str]:
    code = example.code if url is None else example.code.replace(README_URL, url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRUCIBLE_")}
    if url is not None:
        env["CRUCIBLE_URL"] = url
    command = [sys.executable, "-c", code] if example.language == "python" else [
        "bash", "-euo", "pipefail", "-c", code
    ]  # fmt: skip
    # The checkout's packages, as in its venv, wherever the example runs.
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        command, cwd=example.cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
        check=False,
    )  # fmt: skip


def check_run(example: Example, url: str | None) -> None:
    done = run_example(example, url)
    assert done.returncode == 0, f"{example.where} failed:\n{done.stderr[-3000:]}"
    claims = expected_outputs(example.code) if example.language == "bash" else []
    if not claims:
        return
    documents = json_documents(done.stdout)
    assert len(documents) == len(claims), done.stdout[-3000:]
    for document, claim in zip(documents, claims, strict=True):
        missing = [(k, v) for k, v in claimed_pairs(claim) if not holds(document, k, v)]
        assert not missing, f"{example.where} says {claim}; got {document}"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "run"], ids=lambda e: e.id)
def test_run_example(example: Example) -> None:
    check_run(example, None)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "live"], ids=lambda e: e.id)
def test_live_example(example: Example, service: Stack) -> None:
    assert README_URL in example.code or "CRUCIBLE_URL" in example.code
    check_run(example, service.gateway.url)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "ci"], ids=lambda e: e.id)
def test_ci_example_names_a_test_or_script_that_exists(example: Example) -> None:
    named = re.findall(r"(?:tests|\.ci)/[\w./-]+", example.note)
    assert named, f"{example.where}: say which test runs this block"
    for path in named:
        assert (REPO / path).exists(), f"{example.where}: {path} does not exist"


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.kind == "fragment"], ids=lambda e: e.id
)
def test_fragment_is_well_formed(example: Example) -> None:
    assert example.note, f"{example.where}: say why this block cannot run here"
    if example.language == "python":
        compile(example.code, example.where, "exec")
    else:
        check = subprocess.run(
            ["bash", "-n", "-c", example.code], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
    for path in re.findall(r"tests/[\w./-]+\.py", example.note):
        assert (REPO / path).exists(), path
