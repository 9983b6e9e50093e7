"""federated/data_parallel_gradient — the global-batch MSE gradient from per-shard gradients."""

import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    """∂/∂w of mean (x·w − y)² over every example of every shard; shape (D,)."""
    # TODO: let every worker compute something from its own shard, then combine.
    # BEGIN SOLUTION
    total = np.zeros_like(w)
    count = 0
    for X, y in zip(X_shards, y_shards):
        residual = X @ w - y
        total = total + 2.0 * (X.T @ residual)   # the worker's local sum of gradients
        count += len(y)
    return total / count                          # all-reduce: sum, then divide by B
    # END SOLUTION
