"""Local means, then a size-weighted average that skips empty shards."""
import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    means, sizes = [], []
    for X, y in zip(X_shards, y_shards):
        if len(y) == 0:
            continue
        means.append(np.mean(2 * (X @ w - y)[:, None] * X, axis=0))
        sizes.append(len(y))
    return np.average(np.array(means), axis=0, weights=sizes)
