import time

block = b"x" * (96 << 20)
time.sleep(30)
