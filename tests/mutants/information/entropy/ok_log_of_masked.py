"""Correct: np.log with where= and out= so zeros never reach the logarithm."""
import numpy as np


def entropy(p, axis=-1):
    logs = np.zeros_like(p)
    np.log(p, out=logs, where=p > 0)
    return -(p * logs).sum(axis=axis)
