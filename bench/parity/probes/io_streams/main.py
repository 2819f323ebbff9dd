"""The standard streams' configuration: encodings, error handlers, buffering, names, ttys."""

import sys

for label, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr)):
    print(f"{label}_encoding={stream.encoding!r}")
    print(f"{label}_errors={stream.errors!r}")
    print(f"{label}_line_buffering={stream.line_buffering!r}")
    print(f"{label}_write_through={stream.write_through!r}")
    print(f"{label}_name={getattr(stream, 'name', '<none>')!r}")
    print(f"{label}_mode={getattr(stream, 'mode', '<none>')!r}")
    print(f"{label}_fileno={stream.fileno()}")
    print(f"{label}_isatty={stream.isatty()}")
    print(f"{label}_type={type(stream).__name__}/{type(stream.buffer).__name__}")
print(f"stdin_read={sys.stdin.read()!r}")
print(f"stdin_newlines_seen={sys.stdin.newlines!r}")
print(f"dunder_streams_same={[sys.stdin is sys.__stdin__, sys.stdout is sys.__stdout__]}")
