"""Forgets the 2 from differentiating the square."""
import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    X, y = np.concatenate(X_shards), np.concatenate(y_shards)
    return X.T @ (X @ w - y) / len(y)
