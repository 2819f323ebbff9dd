"""One program run bare: `python3 <dir>/main.py` in a scratch working folder of its own, the
jail's environment (read from the sandbox profile), stdin fed exactly as bytes.
"""

from __future__ import annotations

import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workers.judge.settings import JudgeSettings

_ENVAR = re.compile(r'^envar:\s*"([^"=]+)=([^"]*)"', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class BareRun:
    stdout: bytes
    stderr: bytes
    exit_code: int | None  # None when a signal ended it or it timed out
    signal: int | None
    timed_out: bool = False

    @property
    def ended(self) -> str:
        """How it ended, in the words the comparison uses: `exit N`, `signal NAME`, `timeout`."""
        return ending(self.exit_code, self.signal, timed_out=self.timed_out)


def ending(exit_code: int | None, signum: int | None, *, timed_out: bool = False) -> str:
    if timed_out:
        return "timeout"
    if signum is not None:
        return f"signal {signal.Signals(signum).name}"
    return f"exit {exit_code}"


@lru_cache(maxsize=4)
def jail_environment(profile: Path) -> dict[str, str]:
    """The variables the jail's programs get (`envar:` lines of the nsjail profile), and
    only those: bare runs see what jailed ones see."""
    return dict(_ENVAR.findall(profile.read_text()))


def run_bare(source: str, stdin: bytes, *, settings: JudgeSettings, timeout_s: float) -> BareRun:
    """Run `source` as `<python> <dir>/main.py`, its working folder an empty one beside it."""
    env = jail_environment(settings.profiles_dir / "python.cfg")
    with tempfile.TemporaryDirectory(prefix="crucible-bare-") as folder:
        program = Path(folder) / "program" / "main.py"
        program.parent.mkdir()
        program.write_text(source, encoding="utf-8", errors="surrogatepass")
        scratch = Path(folder) / "cwd"
        scratch.mkdir()
        try:
            proc = subprocess.run(
                [settings.python_path, str(program)],
                input=stdin,
                capture_output=True,
                timeout=timeout_s,
                cwd=scratch,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            return BareRun(exc.stdout or b"", exc.stderr or b"", None, None, timed_out=True)
    code = proc.returncode
    if code < 0:
        return BareRun(proc.stdout, proc.stderr, None, -code)
    return BareRun(proc.stdout, proc.stderr, code, None)
