"""Gather everything, then one ordinary gradient."""
import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    X = np.concatenate(X_shards, axis=0)
    y = np.concatenate(y_shards)
    return 2.0 / len(y) * (X.T @ (X @ w - y))
