"""Adds 1e-7 inside the log to dodge ln 0: no nan, but every term is biased."""
import numpy as np


def entropy(p, axis=-1):
    return -np.sum(p * np.log(p + 1e-7), axis=axis)
