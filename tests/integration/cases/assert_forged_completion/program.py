# Finds the harness's completion token in a calling frame, reports the test as done and
# exits before the test runs: a test that never ran must not pass.
import json
import os
import sys

frame = sys._getframe()
while frame is not None and "token" not in frame.f_locals:
    frame = frame.f_back
if frame is not None:
    os.write(3, json.dumps({"done": frame.f_locals["token"]}).encode())
os._exit(0)
