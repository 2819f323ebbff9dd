"""Benchmarks and the bare-against-jail check: `crucible bench SUBCOMMAND` (bench/cli.py).

They run from the repository only (neither distribution nor any image carries them) and
write their figures into the generated reports, docs/benchmarks.md and docs/reliability.md.
"""
