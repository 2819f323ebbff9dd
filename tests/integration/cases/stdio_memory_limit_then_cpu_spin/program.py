block = b"x" * (96 << 20)
while True:
    pass
