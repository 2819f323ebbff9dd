"""The compiled languages' toolchains: how each builds a program and how its artifact runs.

Flags follow the contest judges whose data code RL trains on (Codeforces): `-O2 -pipe
-DONLINE_JUDGE`, the standard the submission names (its language's default otherwise) and
`-lm`.  Python is not here: its harness compiles it in the jail (`inside/harness.py`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache

from crucible.schema import STANDARDS, Language

# Where the compile jail sees the build folder, and the artifact's name in it.
BUILD_DIR = "/build"
ARTIFACT = "main"
# Where the run jail sees the artifact (its read-only /code folder).
RUN_PATH = "/code/main"


@dataclass(frozen=True, slots=True)
class Toolchain:
    language: Language
    compiler: str  # the executable's absolute path (nsjail does not search PATH)
    source: str  # the program's file name in the build folder
    flags: tuple[str, ...]
    libraries: tuple[str, ...]

    def standard(self, chosen: str | None) -> str:
        return chosen or STANDARDS[self.language][0]

    def compile_argv(self, standard: str | None) -> list[str]:
        return [
            self.compiler,
            *self.flags,
            f"-std={self.standard(standard)}",
            "-o",
            ARTIFACT,
            self.source,
            *self.libraries,
        ]

    def describe(self, standard: str | None) -> str:
        """What a result names: the compiler, its version and the flags it was given."""
        flags = " ".join([*self.flags, f"-std={self.standard(standard)}", *self.libraries])
        name = self.compiler.rsplit("/", 1)[-1]
        return f"{name} {compiler_version(self.compiler)} {flags}"


CONTEST_FLAGS = ("-O2", "-pipe", "-DONLINE_JUDGE")
TOOLCHAINS: dict[Language, Toolchain] = {
    Language.c: Toolchain(Language.c, "/usr/bin/gcc", "main.c", CONTEST_FLAGS, ("-lm",)),
    Language.cpp: Toolchain(Language.cpp, "/usr/bin/g++", "main.cpp", CONTEST_FLAGS, ("-lm",)),
}


def toolchain(language: Language) -> Toolchain | None:
    """The language's toolchain; None for Python, which the harness runs itself."""
    return TOOLCHAINS.get(language)


@cache
def compiler_version(compiler: str) -> str:
    """The compiler's full version (`gcc -dumpfullversion`), read once per process; the jail
    sees the host's /usr, so this is the version that builds the programs."""
    try:
        done = subprocess.run(
            [compiler, "-dumpfullversion"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"
