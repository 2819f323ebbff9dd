"""IOI-style batch programs: the contestant's file built with the task's grader.

The build runs `inside/grader_link.py` in the compile jail with the grader's files and
Crucible's runtime header (`inside/crucible_grader.h`) beside the program, so all of them
are part of the artifact cache's key.  The artifact runs as any C or C++ program's does.
"""

from __future__ import annotations

import json
from pathlib import Path

from crucible.schema import Grader, Language
from workers.judge.languages import ARTIFACT, CONTEST_FLAGS, REAL_PATHS, Toolchain, toolchain

INSIDE = Path(__file__).with_name("inside")
LINK_SCRIPT = "crucible_link.py"
RUNTIME_HEADER = "crucible_grader.h"


def grader_files(grader: Grader) -> dict[str, bytes]:
    """What the build folder holds beside the contestant's file."""
    files = {path: text.encode("utf-8", "surrogatepass") for path, text in grader.files.items()}
    files[LINK_SCRIPT] = (INSIDE / "grader_link.py").read_bytes()
    files[RUNTIME_HEADER] = (INSIDE / RUNTIME_HEADER).read_bytes()
    return files


def grader_toolchain(language: Language, grader: Grader) -> Toolchain:
    """The language's toolchain, its build step replaced by the grader's link step."""
    chain = toolchain(language)
    if chain is None or language not in (Language.c, Language.cpp):
        raise ValueError(f"{language.value} programs are not built with a grader")
    compiler = REAL_PATHS["gcc" if language == Language.c else "gxx"]
    config = {
        "cc": compiler,
        "flags": [*CONTEST_FLAGS, "-std=@std@"],
        "libs": ["-lm"],
        "source": "@source@",
        "graders": grader.sources(language),
        "output": ARTIFACT,
    }
    # Toolchain.build is formatted with {std} and {source}: the JSON's own braces doubled.
    text = json.dumps(config).replace("{", "{{").replace("}", "}}")
    text = text.replace("@std@", "{std}").replace("@source@", "{source}")
    build = (REAL_PATHS["python"], "-I", LINK_SCRIPT, text)
    return Toolchain(
        chain.language,
        chain.name,
        chain.source,
        build=build,
        run=chain.run,
        shown=(*chain.shown, "+grader"),
        version=chain.version,
        hello=chain.hello,
        artifact=chain.artifact,
        env=chain.env,
    )
