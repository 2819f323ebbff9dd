import time

time.sleep(30)
print(0)
