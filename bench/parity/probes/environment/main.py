"""The environment a program sees: variables, working folder contents, temp dir, CPUs."""

import os
import tempfile

print(f"environ={sorted(os.environ.items())!r}")
print(f"cwd_listing={sorted(os.listdir('.'))!r}")
print(f"cwd_writable={os.access('.', os.W_OK)}")
print(f"cwd_is_program_dir={os.path.dirname(os.path.abspath(__file__)) == os.getcwd()}")
print(f"gettempdir={tempfile.gettempdir()!r}")
print(f"cpu_count={os.cpu_count()}")
print(f"affinity={len(os.sched_getaffinity(0))}")
