"""docs/settings.md, written from the settings classes' own fields and descriptions, so the
page cannot drift from the code (a unit test regenerates it).  Rewrite it with
`python -m server.settings_doc`.  Server-side: the settings classes load only when it runs.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import AliasChoices
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
HEAD = """\
# Settings

Generated from the settings classes by `python -m server.settings_doc`; do not edit by hand
(`tests/unit/test_settings_doc.py` fails when this page and the classes differ).

The gateway and the workers read their settings once at start from the environment (prefix
`CRUCIBLE_`); secrets also from files in `/run/secrets` (`api_tokens`, `redis_password`).
CLI flags override them.  The trainer-side client reads its own two variables.
"""


def _env_name(name: str, info: FieldInfo, prefix: str) -> str:
    alias = info.validation_alias
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return f"{prefix}{name}".upper()


def _shown(value: object) -> str:
    if value is None or value == []:
        return "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Path) and value.is_relative_to(DOC.parent.parent):
        value = value.relative_to(DOC.parent.parent)  # the repository's, wherever it is
    return f"`{value}`"


def _default(info: FieldInfo) -> str:
    if info.default is not PydanticUndefined:
        return _shown(info.default)
    if info.default_factory is list:
        return "none"
    return "computed"  # the description says how


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _pydantic_rows(cls: Any, *, skip: frozenset[str]) -> Iterator[str]:
    prefix = cls.model_config.get("env_prefix", "")
    for name, info in cls.model_fields.items():
        if name not in skip:
            env = _env_name(name, info, prefix)
            yield f"| `{env}` | {_default(info)} | {_cell(info.description)} |"


def _section(title: str, doc: str | None, rows: Iterator[str]) -> str:
    lines = [f"## {title}", "", _cell(doc), "", "| variable | default | meaning |", "|---|---|---|"]
    return "\n".join([*lines, *rows]) + "\n"


def render() -> str:
    """The page, from the classes' definitions alone (not this process's environment)."""
    from crucible.settings import ClientSettings
    from server.deployment import SharedSettings
    from service.settings import GatewaySettings
    from workers.judge.settings import JudgeSettings
    from workers.queue.settings import WorkerSettings

    shared = frozenset(SharedSettings.model_fields)
    client_rows = (
        f"| `{f.metadata['env']}` | {_shown(f.default)} | {_cell(f.metadata['description'])} |"
        for f in dataclasses.fields(ClientSettings)
    )
    sections = [
        _section("Gateway and workers alike", SharedSettings.__doc__, _pydantic_rows(
            SharedSettings, skip=frozenset())),
        _section("Gateway", GatewaySettings.__doc__, _pydantic_rows(GatewaySettings, skip=shared)),
        _section("Workers", WorkerSettings.__doc__, _pydantic_rows(WorkerSettings, skip=shared)),
        _section("Judge", JudgeSettings.__doc__, _pydantic_rows(JudgeSettings, skip=frozenset())),
        _section("Client", ClientSettings.__doc__, client_rows),
    ]  # fmt: skip
    return "\n".join([HEAD, *sections])


def main() -> int:
    DOC.write_text(render())
    sys.stdout.write(f"wrote {DOC}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
