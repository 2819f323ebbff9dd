"""os._exit(0) after print() without a flush: the buffered output is lost, as bare."""

import os

print("lost=yes")
os._exit(0)
