#!/usr/bin/python3
"""Reference values for SampleWeightsTest: the weighted mean cross-entropy sum(w*l)/sum(w) (PyTorch's
CrossEntropyLoss(weight=...) reduction, here with per-sample weights) and its gradient, in plain double-precision
Python so it runs without torch: l_i = logsumexp(x_i) - x_i[y_i], dL/dx_i = w_i / sum(w) * (softmax(x_i) - onehot(y_i)).
Also the weighted mean squared error. Run it and paste the printed values into the test."""
import math

x = [[1.0, 2.0, 0.5], [0.1, -1.0, 2.0], [3.0, 0.0, 0.0]]
y = [1, 2, 0]
w = [2.0, 0.5, 1.0]

def lse(r):
    m = max(r)
    return m + math.log(sum(math.exp(v - m) for v in r))

losses = [lse(r) - r[k] for r, k in zip(x, y)]
sw = sum(w)
print("weighted ce", repr(sum(wi * li for wi, li in zip(w, losses)) / sw))
print("unweighted ce", repr(sum(losses) / len(losses)))
grad = []
for r, k, wi in zip(x, y, w):
    s = lse(r)
    grad.append([wi / sw * (math.exp(v - s) - (1.0 if j == k else 0.0)) for j, v in enumerate(r)])
print("grad", [[round(g, 9) for g in row] for row in grad])

p = [[0.5], [2.0], [-1.0]]
t = [[1.0], [1.0], [1.0]]
mse = [(a[0] - b[0]) ** 2 for a, b in zip(p, t)]
print("weighted mse", repr(sum(wi * li for wi, li in zip(w, mse)) / sw))
