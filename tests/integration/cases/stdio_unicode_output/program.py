s = input()
print(s[::-1], "✓ 日本語 🎉")
