print(1 / 3, 2 / 3)
