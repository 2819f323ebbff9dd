"""Print uv's requirement line, version and hashes taken from uv.lock, for `pip --require-hashes`.

The lock pins every package the project installs, uv included; installing uv itself from this
line (before uv can read the lock) keeps the bootstrap on the locked version too.  Standard
library only: it runs on any Python >= 3.11, in the Makefile and in image builds.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def uv_requirement(lock: Path = LOCK) -> str:
    packages = tomllib.loads(lock.read_text())["package"]
    for package in packages:
        if package["name"] == "uv":
            hashes = [wheel["hash"] for wheel in package.get("wheels", [])]
            if "sdist" in package:
                hashes.append(package["sdist"]["hash"])
            flags = " ".join(f"--hash={h}" for h in hashes)
            return f"uv=={package['version']} {flags}"
    raise SystemExit(f"{lock}: no uv package (it belongs in the dev extra)")


if __name__ == "__main__":
    print(uv_requirement(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK))
