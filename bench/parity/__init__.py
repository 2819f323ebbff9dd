"""The differential check, bare against jail (integrity invariant 6, issue 13).

`probe`: programs of our own (`probes/<name>/main.py`, stdin in `probes/<name>/stdin`) that
print what a program can observe of its runtime, run bare and in the jail, every observable
compared.  `programs`: real accepted and known-wrong programs from the shared datasets, run
bare under each dataset's own harness and graded in the jail.  `check` runs both for the
test suite and for `crucible bench parity`; `report` writes the bench's section.
"""
