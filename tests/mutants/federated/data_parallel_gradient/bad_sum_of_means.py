"""Adds the workers' mean gradients (an all-reduce sum without the division)."""
import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    return sum(2 * X.T @ (X @ w - y) / max(len(y), 1) for X, y in zip(X_shards, y_shards))
