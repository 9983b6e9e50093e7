"""Correct: a flat view of a private copy, restored exactly after each entry."""
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    work = np.array(x, dtype=np.float64, copy=True)
    flat = work.reshape(-1)
    grad = np.zeros(flat.size)
    for k in range(flat.size):
        saved = flat[k]
        flat[k] = saved + h
        up = f(work)
        flat[k] = saved - h
        down = f(work)
        flat[k] = saved
        grad[k] = (up - down) / (2.0 * h)
    return grad.reshape(work.shape)
