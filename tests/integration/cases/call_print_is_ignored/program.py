def add(a, b):
    print("debugging", a, b)
    return a + b
