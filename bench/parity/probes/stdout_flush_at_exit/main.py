"""200 KB written without a flush and without a final newline: all of it arrives at exit."""

import hashlib
import sys

chunk = "".join(f"{i} " for i in range(1000))
for _ in range(50):
    sys.stdout.write(chunk)
sys.stdout.write("\n" + hashlib.sha256((chunk * 50).encode()).hexdigest()[:16])
print(end="")
