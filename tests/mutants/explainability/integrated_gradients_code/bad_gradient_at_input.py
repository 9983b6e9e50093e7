"""Gradient × (x − baseline) at the input only: no path at all."""
import numpy as np


def integrated_gradients(x, baseline, W1, b1, W2, b2, target, steps):
    grad = ((x @ W1 + b1 > 0) * W2[:, target]) @ W1.T
    return (x - baseline) * grad
