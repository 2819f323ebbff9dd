"""Build an IOI-style batch program in the compile jail: the task's grader and the
contestant's file, linked so that none of the contestant's code runs before the grader's
main and none of it replaces a function the grader or its libraries call.

Run as `python3 -I crucible_link.py CONFIG` in the build folder; CONFIG is JSON with the
compiler, its flags, the contestant's source, the grader's sources and the libraries.  Any
failure is the program's compile error (the output says why).  Steps:
1. each file compiled alone to an object;
2. the grader's objects linked alone: the symbols the linker finds missing are the ones the
   contestant must define (the functions the task's header declares);
3. the contestant's object checked: no IFUNC symbol (its resolver would run at start-up),
   no section the loader or the start-up code runs (.init, .fini, .interp, .preinit_array);
4. its constructor tables renamed `crucible_init` (run by crucible_grader.h in the child
   that calls the contestant), its destructor tables `crucible_fini` (never run), and every
   global symbol made local but those of step 2 and its weak copies of what the grader
   defines too (inline functions and templates both instantiate: the grader's objects come
   first, so the grader's copy is the one linked; made local, the contestant's references
   would name a section the linker discards);
5. the program linked, the grader's objects first.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path("/tmp/out")
# Sections of the contestant's object that would run its code before main: refused.
REFUSED = (".init", ".fini", ".interp", ".preinit_array", ".rela.init", ".rela.fini")
CONSTRUCTORS = (".init_array", ".ctors")
DESTRUCTORS = (".fini_array", ".dtors")
_SECTION = re.compile(r"^\s*\[\s*\d+\]\s+(\S+)", re.M)
_MISSING = re.compile(r"undefined reference to `([^']+)'")


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _must(argv: list[str]) -> str:
    done = _run(argv)
    if done.returncode != 0:
        sys.stdout.write(done.stdout + done.stderr)
        sys.exit(1)
    return done.stdout + done.stderr


def _fail(message: str) -> None:
    print(f"crucible: {message}")
    sys.exit(1)


def _family(name: str, bases: tuple[str, ...]) -> bool:
    return any(name == base or name.startswith(base + ".") for base in bases)


def _defined(objects: list[str], kinds: str) -> set[str]:
    """The global symbols `objects` define (of nm's types `kinds`, or any when empty)."""
    found = set()
    for line in _must(["nm", "--defined-only", "-P", *objects]).splitlines():
        words = line.split()
        if len(words) < 2 or words[0].endswith(":"):
            continue  # a file's heading
        name, kind = words[0], words[1]
        is_global = kind.isupper() or kind == "u"  # "u": a unique global (GNU)
        if is_global and (not kinds or kind in kinds):
            found.add(name)
    return found


def main() -> None:
    config = json.loads(sys.argv[1])
    cc, flags, libs = config["cc"], config["flags"], config["libs"]
    OUT.mkdir(parents=True, exist_ok=True)
    graders = []
    for number, source in enumerate(config["graders"]):
        graders.append(str(OUT / f"grader{number}.o"))
        sys.stdout.write(_must([cc, *flags, "-c", "-o", graders[-1], source]))
    own = str(OUT / "contestant.o")
    sys.stdout.write(_must([cc, *flags, "-c", "-o", own, config["source"]]))
    alone = _run([cc, "-o", str(OUT / "alone"), *graders, *libs, "-Wl,--no-demangle"])
    needed = set(_MISSING.findall(alone.stdout + alone.stderr))
    needed |= _defined(graders, "") & _defined([own], "WVu")
    sections = _SECTION.findall(_must(["readelf", "-SW", own]))
    for name in sections:
        if _family(name, REFUSED) or name.startswith(".rela.preinit_array"):
            _fail(f"the contestant's file may not have a {name} section")
    if re.search(r"\bIFUNC\b", _must(["readelf", "-sW", own])):
        _fail("the contestant's file may not define an IFUNC symbol")
    keep = OUT / "keep"
    keep.write_text("".join(f"{name}\n" for name in sorted(needed)))
    renames = []
    for name in sections:
        target = None
        if _family(name, CONSTRUCTORS):
            target = "crucible_init"
        elif _family(name, DESTRUCTORS):
            target = "crucible_fini"
        if target is not None:
            renames += ["--rename-section", f"{name}={target}"]
    hidden = str(OUT / "contestant-hidden.o")
    _must(["objcopy", f"--keep-global-symbols={keep}", *renames, own, hidden])
    sys.stdout.write(_must([cc, *flags, "-o", config["output"], *graders, hidden, *libs]))


if __name__ == "__main__":
    main()
