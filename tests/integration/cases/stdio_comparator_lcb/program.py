print("  1.0 2 ")
print("3")
print()
