import numpy as np

xs = np.array(input().split(), dtype=np.int64)
print(int(xs.sum()), xs.max())
