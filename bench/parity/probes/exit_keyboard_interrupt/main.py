"""An uncaught KeyboardInterrupt: CPython ends the process with SIGINT after the traceback."""

print("before=printed")
raise KeyboardInterrupt
