# Claims an answer without asking.
input()
print("! 500", flush=True)
