"""The toolchains' command lines (`workers/judge/languages.py`): Java's file and class named
after the program's class, and no other language paying for that search."""

from __future__ import annotations

import pytest

from crucible.schema import Language
from workers.judge import languages
from workers.judge.languages import TOOLCHAINS

JAVA = (
    "import java.util.*;\npublic final class Adder {\n  public static void main(String[] a) {}\n}\n"
)


def test_java_is_built_and_run_by_its_public_class() -> None:
    java = TOOLCHAINS[Language.java]
    assert java.source_name(JAVA) == "Adder.java"
    assert any("Adder.java" in part for part in java.build_argv(None, JAVA))
    assert "Adder" in java.run_argv(256, JAVA)


@pytest.mark.parametrize(
    "language", [lang for lang in TOOLCHAINS if lang is not Language.java], ids=str
)
def test_no_other_language_searches_its_source_for_a_class(
    language: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(program: str) -> str:
        raise AssertionError(f"{language.value} looked for a Java class")

    monkeypatch.setattr(languages, "java_class", refuse)
    chain = TOOLCHAINS[language]
    source = "int main() { return 0; }\n// class Fake { static void main() {} }\n"
    assert "{" not in chain.source_name(source)
    assert not any("{class}" in part for part in chain.build_argv(None, source))
    assert not any("{class}" in part for part in chain.run_argv(256, source))
