"""The program's thread is the main thread, as threading sees it."""

import threading

print(f"main_is_current={threading.main_thread() is threading.current_thread()}")
print(f"name={threading.current_thread().name!r}")
print(f"active_count={threading.active_count()}")
print(f"enumerate={[t.name for t in threading.enumerate()]!r}")
