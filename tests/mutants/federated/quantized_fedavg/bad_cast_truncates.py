"""Casts d/s straight to int8: truncation towards 0 instead of rounding."""
import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    p = num_samples / num_samples.sum()
    new = global_w.copy()
    for p_k, w_k in zip(p, client_w):
        d = w_k - global_w
        s = np.abs(d).max() / 127 if np.abs(d).max() > 0 else 1.0
        new = new + p_k * (d / s).astype(np.int8) * s
    return new
