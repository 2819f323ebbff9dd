"""The languages other than Python: how each builds a program and how its artifact runs.

Each has a build step, run once per submission in the compile jail (`compiler.py`), and a
command each test's child execs in the run jail, with the artifact at /code/main.  A build
writes only its artifact into the build folder, which is the host's disk: whatever else a
compiler makes (Java's class files, Rust's object files) goes to the compile jail's /tmp, a
tmpfs its limits bound, since the number of such files is the program's choice.  Compiled
languages follow the contest judges whose data code RL trains on (Codeforces): C and C++
with `-O2 -pipe -DONLINE_JUDGE`, the standard the submission names (its language's default
otherwise) and `-lm`; Java's classes zipped into one archive, run with the program's public
class as the main one, the heap at the memory limit and 64 MB thread stacks; Rust with `-O`
in the edition named; Go with its own compiler and linker against a standard library
compiled once per machine (`gostd.py`), CGO off, run on one thread of Go's scheduler.
JavaScript's build step only checks its syntax (`node --check`) and PyPy's compiles the
program to check it: their artifact is the source.  Python is not here: its harness
compiles it in the jail (`inside/harness.py`).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from crucible.schema import STANDARDS, Language

# Where the compile jail sees the build folder, and the artifact's name in it.
BUILD_DIR = "/build"
ARTIFACT = "main"
# Where a build that makes more than its artifact makes it: the compile jail's own tmpfs
# (sandbox_profiles/compile.cfg), counted against the compile's memory.
SCRATCH_DIR = "/tmp/out"
RESULT = f"{BUILD_DIR}/{ARTIFACT}"
# Where the run jail sees the artifact (its read-only /code folder).
RUN_PATH = "/code/main"
# Where the compile jail sees Go's prepared standard library (read-only; `gostd.py`).
GO_STD = "/gostd"


@dataclass(frozen=True, slots=True)
class Toolchain:
    """A language's build and run commands.  In `build`, {source} is the program's file and
    {std} its standard; in `run`, {program} is the artifact, and in `run` and `env`
    {memory_mb} is the test's memory limit.  Paths are absolute: nsjail does not search
    PATH."""

    language: Language
    name: str  # what a result calls the toolchain
    source: str  # the program's file name in the build folder ({class} for Java)
    build: tuple[str, ...]
    run: tuple[str, ...]
    shown: tuple[str, ...]  # the flags a result names
    version: tuple[str, ...]  # prints the toolchain's version
    hello: str  # echoes its first word: the probe that the toolchain works here
    artifact: str | None = ARTIFACT  # None: the source itself runs
    env: tuple[tuple[str, str], ...] = ()  # the run's environment beyond the plain one

    def standard(self, chosen: str | None) -> str | None:
        standards = STANDARDS[self.language]
        return chosen or (standards[0] if standards else None)

    def source_name(self, program: str) -> str:
        return self.source.format(**{"class": _class_for(self.source, program)})

    def build_argv(self, standard: str | None, program: str) -> list[str]:
        fields = {
            "source": self.source_name(program),
            "std": self.standard(standard),
            "class": _class_for(self.build, program),
            **REAL_PATHS,
        }
        return [part.format(**fields) for part in self.build]

    def run_argv(self, memory_mb: int, program: str, *, path: str = RUN_PATH) -> list[str]:
        """The test process's command line for the artifact at `path` (the run jail's)."""
        fields = {"program": path, "memory_mb": memory_mb, **REAL_PATHS}
        fields["class"] = _class_for(self.run, program)
        return [part.format(**fields) for part in self.run]

    def run_env(self, memory_mb: int) -> dict[str, str]:
        """What the run's environment adds to the plain one every compiled program gets."""
        return {name: value.format(memory_mb=memory_mb) for name, value in self.env}

    def describe(self, standard: str | None) -> str:
        """What a result names: the toolchain, its version and the flags it was given."""
        flags = " ".join(f.format(std=self.standard(standard)) for f in self.shown)
        return f"{self.name} {toolchain_version(self.version)} {flags}".rstrip()


CONTEST_FLAGS = ("-O2", "-pipe", "-DONLINE_JUDGE")


def _real(path: str) -> str:
    """`path` with every symlink resolved (Debian's alternatives), so a result names, and a
    jail runs, the executable itself."""
    return os.path.realpath(path)


# The executables the commands below name, as {placeholders}, by their real paths.
REAL_PATHS = {
    name: _real(path)
    for name, path in {
        "gcc": "/usr/bin/gcc",
        "gxx": "/usr/bin/g++",
        "javac": "/usr/bin/javac",
        "python": "/usr/bin/python3",
        "java": "/usr/bin/java",
        "node": "/usr/bin/node",
        "rustc": "/usr/bin/rustc",
        "pypy": "/usr/bin/pypy3",
        "go": "/usr/bin/go",
    }.items()
}
# Go's compiler and linker, called directly (the `go` command would want a writable build
# cache): in its root's pkg/tool/linux_<arch>, the root being the folder above bin/go.
GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}.get(
    platform.machine(), platform.machine()
)
GO_TOOLS = Path(REAL_PATHS["go"]).parents[1] / "pkg" / "tool" / f"linux_{GOARCH}"
REAL_PATHS["gocompile"] = str(GO_TOOLS / "compile")
REAL_PATHS["golink"] = str(GO_TOOLS / "link")


def _host_folders() -> tuple[str, ...]:
    """Folders outside /usr a toolchain reads, for both jails to bind read-only: Debian's
    JDK keeps its configuration (jvm.cfg, java.security) in /etc/java-<version>-openjdk,
    linked from its lib/ and conf/."""
    home = Path(REAL_PATHS["javac"]).parent.parent
    found = set()
    for link in [home / "lib" / "jvm.cfg", *(home / "conf").glob("**/*")]:
        if link.is_symlink():
            target = Path(os.path.realpath(link))
            if not target.is_relative_to("/usr") and target.exists():
                found.add(str(target.parents[len(target.parts) - 4]))  # /etc/java-17-openjdk
    return tuple(sorted(f for f in found if f.startswith("/etc/java")))


def bind_flags() -> list[str]:
    """nsjail flags binding the toolchains' folders outside /usr, read-only, at their paths."""
    return [flag for folder in HOST_FOLDERS for flag in ("--bindmount_ro", f"{folder}:{folder}")]


HELLO_C = (
    '#include <stdio.h>\nint main(void) { char s[64]; if (scanf("%63s", s) == 1)'
    ' printf("%s\\n", s); return 0; }\n'
)
HELLO_JAVA = (
    "public class Hello { public static void main(String[] a) {"
    " System.out.println(new java.util.Scanner(System.in).next()); } }\n"
)
HELLO_JS = 'console.log(require("fs").readFileSync(0, "utf8").split(/\\s+/)[0]);\n'
HELLO_RUST = (
    "use std::io::Read;\nfn main() { let mut s = String::new();"
    " std::io::stdin().read_to_string(&mut s).unwrap();"
    ' println!("{}", s.split_whitespace().next().unwrap_or("")); }\n'
)
HELLO_GO = (
    'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar s string\n\tfmt.Scan(&s)\n'
    "\tfmt.Println(s)\n}\n"
)
HELLO_PYTHON = "print(input().split()[0])\n"
# PyPy's build step: the program compiles (a syntax error is the program's compile error).
PYPY_CHECK = "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')"


def _native(language: Language, compiler: str, source: str) -> Toolchain:
    build = ("{" + compiler + "}", *CONTEST_FLAGS, "-std={std}", "-o", ARTIFACT, "{source}", "-lm")
    name = "g++" if compiler == "gxx" else compiler
    return Toolchain(
        language,
        name,
        source,
        build=build,
        run=("{program}",),
        shown=(*CONTEST_FLAGS, "-std={std}", "-lm"),
        version=(f"/usr/bin/{name}", "-dumpfullversion"),
        hello=HELLO_C,
    )


# javac's own JVM: a small heap and one GC thread, within the compile jail's limits.
JAVAC_JVM = ("-J-Xmx512m", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData", "-J-Xshare:auto")
JAVA_RUN = ("-Xss64m", "-XX:+UseSerialGC", "-XX:-UsePerfData")
# Go: the program compiled as package main against the prepared standard library (no cgo:
# `import "C"` finds no package), then linked statically by Go's own linker.  The tools
# themselves get two of Go's scheduler threads, within the compile jail's process limit
# however many cores the machine has.
GO_IMPORTCFG = f"{GO_STD}/importcfg"
GO_BUILD = (
    "/bin/sh",
    "-c",
    'export GOMAXPROCS=2; {gocompile} "$@"'
    f" && exec {{golink}} -importcfg {GO_IMPORTCFG} -buildmode=exe -o main main.a",
    "go",
    "-p",
    "main",
    "-complete",
    "-nolocalimports",
    "-pack",
    "-importcfg",
    GO_IMPORTCFG,
    "-o",
    "main.a",
    "{source}",
)
# Go's run: one thread runs Go code (CPU limits count every thread of a test), and the
# collector aims to keep the heap within the test's memory limit, as Java's -Xmx does.
GO_RUN_ENV = (("GOMAXPROCS", "1"), ("GOMEMLIMIT", "{memory_mb}MiB"))
TOOLCHAINS: dict[Language, Toolchain] = {
    Language.c: _native(Language.c, "gcc", "main.c"),
    Language.cpp: _native(Language.cpp, "gxx", "main.cpp"),
    Language.java: Toolchain(
        Language.java,
        "javac",
        "{class}.java",
        # The class files go to scratch space, and only their archive to the build folder:
        # a small source can make thousands of class files of many MB each, as many as it
        # has classes referring to large string constants.  No annotation processing: none
        # can be on the class path, and none is looked for.
        build=(
            "/bin/sh",
            "-c",
            f'{{javac}} "$@" && cd {SCRATCH_DIR} && {{python}} -m zipfile -c {RESULT} .',
            "javac",
            *JAVAC_JVM,
            "-encoding",
            "UTF-8",
            "-proc:none",
            "-d",
            SCRATCH_DIR,
            "{source}",
        ),
        run=("{java}", "-Xmx{memory_mb}m", *JAVA_RUN, "-cp", "{program}", "{class}"),
        shown=("-Xmx=memory_mb", *JAVA_RUN),
        version=("/usr/bin/javac", "-version"),
        hello=HELLO_JAVA,
    ),
    Language.javascript: Toolchain(
        Language.javascript,
        "node",
        "main.js",
        build=("{node}", "--check", "{source}"),
        run=("{node}", "{program}"),
        shown=(),
        version=("/usr/bin/node", "--version"),
        hello=HELLO_JS,
        artifact=None,
    ),
    Language.rust: Toolchain(
        Language.rust,
        "rustc",
        "main.rs",
        # rustc writes an object file per codegen unit beside its output: scratch space (the
        # artifact is named after the source, main.rs).  Without the standard library's debug
        # information, which only a debugger reads: 0.4 MB instead of 11 MB, copied into a
        # jail per submission.
        build=(
            "/bin/sh",
            "-c",
            f'{{rustc}} "$@" && exec /usr/bin/cp {SCRATCH_DIR}/{ARTIFACT} {RESULT}',
            "rustc",
            "-O",
            "-C",
            "strip=debuginfo",
            "--edition",
            "{std}",
            "--out-dir",
            SCRATCH_DIR,
            "{source}",
        ),
        run=("{program}",),
        shown=("-O", "-C strip=debuginfo", "--edition={std}"),
        version=("/usr/bin/rustc", "--version"),
        hello=HELLO_RUST,
    ),
    Language.go: Toolchain(
        Language.go,
        "go",
        "main.go",
        build=GO_BUILD,
        run=("{program}",),
        shown=("CGO_ENABLED=0", "GOMAXPROCS=1", "GOMEMLIMIT=memory_mb"),
        version=("/usr/bin/go", "version"),
        hello=HELLO_GO,
        env=GO_RUN_ENV,
    ),
    Language.pypy: Toolchain(
        Language.pypy,
        "pypy3",
        "main.py",
        build=("{pypy}", "-c", PYPY_CHECK, "{source}"),
        run=("{pypy}", "{program}"),
        shown=(),
        version=("/usr/bin/pypy3", "--version"),
        hello=HELLO_PYTHON,
        artifact=None,
    ),
}


HOST_FOLDERS = _host_folders()


def toolchain(language: Language) -> Toolchain | None:
    """The language's toolchain; None for Python, which the harness runs itself."""
    return TOOLCHAINS.get(language)


# Java's file must be named after its public class; a program with none names the class that
# holds `main` (or is `Main`).
_PUBLIC_CLASS = re.compile(r"^\s*public\s+(?:(?:final|abstract|strictfp)\s+)*class\s+(\w+)", re.M)
_ANY_CLASS = re.compile(r"\bclass\s+(\w+)")
_MAIN = re.compile(r"\bstatic\s+void\s+main\s*\(")


def _class_for(template: str | tuple[str, ...], program: str) -> str:
    """`java_class(program)` where `template` names the class (Java's), else nothing: the
    search costs some 50 microseconds a kilobyte of source, three times a submission."""
    parts = (template,) if isinstance(template, str) else template
    return java_class(program) if any("{class}" in part for part in parts) else ""


@lru_cache(maxsize=8)  # one submission's three calls; sources can be large
def java_class(program: str) -> str:
    """The class a Java program's file is named after and its jar runs: its public class,
    else the first class declared before `main`, else `Main`."""
    public = _PUBLIC_CLASS.search(program)
    if public:
        return public.group(1)
    main = _MAIN.search(program)
    classes = list(_ANY_CLASS.finditer(program[: main.start()] if main else program))
    return classes[-1].group(1) if classes else "Main"


@cache
def toolchain_version(argv: tuple[str, ...]) -> str:
    """The toolchain's version, read once per process: the first version number it prints
    (`gcc -dumpfullversion`, `javac -version`, `node --version`, `rustc --version`,
    `go version`, PyPy's Python version); the jails see the host's /usr, so this is the
    version that builds and runs the programs."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "unknown"
    found = _VERSION.search(done.stdout or done.stderr)
    return found.group() if found else "unknown"


_VERSION = re.compile(r"\d+(?:\.\d+)+")
