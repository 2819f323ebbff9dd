"""sys.argv, __file__ and sys.path as a script run with `python3 main.py` sees them."""

import os
import sys

print(f"argv0_basename={os.path.basename(sys.argv[0])!r}")
print(f"argv_rest={sys.argv[1:]!r}")
print(f"file_basename={os.path.basename(__file__)!r}")
print(f"file_is_abspath_of_argv0={__file__ == os.path.abspath(sys.argv[0])}")
print(f"file_is_absolute={os.path.isabs(__file__)}")
print(f"argv0_is_file={os.path.isfile(sys.argv[0])}")
print(f"path0_is_program_dir={sys.path[0] == os.path.dirname(os.path.abspath(__file__))}")
print(f"path_rest={sys.path[1:]!r}")
print(f"executable={sys.executable!r}")
print(f"orig_argv_len={len(sys.orig_argv)}")
print(f"orig_argv_last_basename={os.path.basename(sys.orig_argv[-1])!r}")
print(f"flags_no_user_site={sys.flags.no_user_site}")
print(f"flags_isolated={sys.flags.isolated}")
with open(__file__, encoding="utf-8") as own:
    print(f"own_source_first_line={own.readline()[:40]!r}")
