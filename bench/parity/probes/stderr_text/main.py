"""Writes to stderr beside stdout: text, a lone surrogate (backslashreplace), a warning."""

import sys
import warnings

print("out=1")
print("err line", file=sys.stderr)
sys.stderr.write("surrogate=\udcff\n")
warnings.warn("careful", stacklevel=1)
print("out=2")
