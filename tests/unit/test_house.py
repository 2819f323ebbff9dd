"""The house as drawn from the imports: rooms with arrows one way, client and schema at the
bottom.  Every import of one of our modules counts, top-level or inside a function, so a
lazy import cannot hide an arrow that points the wrong way."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("crucible", "server", "service", "workers", "bench", "curate")

# Each room and the rooms it may import (its own always).  Read top down: nothing imports a
# room above it, and the two at the bottom import nothing of ours but each other, downwards.
MAY_IMPORT: dict[str, set[str]] = {
    "command line": {"bench", "curate", "local stack", "gateway", "queue worker", "judge",
                     "contract", "client", "schema"},
    "bench": {"local stack", "queue worker", "judge", "contract", "client", "schema"},
    "curate": {"judge", "client", "schema"},
    "local stack": {"client", "schema"},
    "gateway": {"contract", "client", "schema"},
    "queue worker": {"judge", "contract", "client", "schema"},
    "judge": {"harness", "client", "schema"},
    "harness": set(),
    "contract": {"client", "schema"},
    "client": {"schema"},
    "schema": set(),
}  # fmt: skip


def room(module: str) -> str:  # noqa: PLR0911 - one answer per room reads best
    """The room a dotted module name lives in."""
    if module == "crucible.schema":
        return "schema"
    if module.startswith("crucible"):
        return "client"
    if module in ("server.contract", "server.deployment"):
        return "contract"
    if module == "server.stack":
        return "local stack"
    if module.startswith("server"):
        return "command line"
    if module.startswith("service"):
        return "gateway"
    if module.startswith("workers.judge.inside"):
        return "harness"
    if module.startswith("workers.judge"):
        return "judge"
    if module.startswith("workers"):
        return "queue worker"
    if module.startswith("bench"):
        return "bench"
    if module.startswith("curate"):
        return "curate"
    raise ValueError(module)


def our_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "probes" in path.parts:  # programs the parity check runs, not modules of ours
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that `path` imports; `from pkg import mod` counts as `pkg.mod`."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in modules
                else node.module
                for alias in node.names
            ]
        else:
            continue
        targets.update(n for n in names if n.split(".")[0] in PACKAGES)
    return targets


def arrows() -> dict[tuple[str, str], set[str]]:
    modules = our_modules()
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in imports(path, modules):
            if room(name) != room(target):
                found[(room(name), room(target))].add(f"{name} -> {target}")
    return found


def test_every_module_has_a_room() -> None:
    rooms = {room(name) for name in our_modules()}
    assert rooms == set(MAY_IMPORT)


def test_arrows_point_one_way() -> None:
    wrong = {
        f"{a} -> {b}": sorted(lines) for (a, b), lines in arrows().items() if b not in MAY_IMPORT[a]
    }
    assert not wrong, wrong


def test_the_rooms_form_no_cycle() -> None:
    # MAY_IMPORT itself is a one-way drawing: a room never reaches itself again.
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(MAY_IMPORT[start])
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(MAY_IMPORT[current])
        return seen

    for name in MAY_IMPORT:
        assert name not in reach(name), name


@pytest.mark.parametrize(
    ("room_name", "must_import"),
    [("queue worker", "judge"), ("gateway", "contract"), ("queue worker", "contract")],
)
def test_the_drawing_is_the_code(room_name: str, must_import: str) -> None:
    # The arrows the design needs are there, so the rules above check real imports.
    assert (room_name, must_import) in arrows()


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from service.gateway import Gateway\n    import bench.cli\n")
    found = imports(module, {"service.gateway": module, "bench.cli": module})
    assert found == {"service.gateway", "bench.cli"}
