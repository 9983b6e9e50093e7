"""Rounds halves up with floor(x + 0.5) instead of to even."""
import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    p = num_samples / num_samples.sum()
    new = global_w.copy()
    for p_k, w_k in zip(p, client_w):
        d = w_k - global_w
        s = np.abs(d).max() / 127 if np.abs(d).max() > 0 else 1.0
        new = new + p_k * np.clip(np.floor(d / s + 0.5), -127, 127) * s
    return new
