print("never closed
