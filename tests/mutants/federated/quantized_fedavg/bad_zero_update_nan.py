"""Divides by a zero scale when a client did not change (0/0 = nan)."""
import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    p = num_samples / num_samples.sum()
    new = global_w.copy()
    for p_k, w_k in zip(p, client_w):
        d = w_k - global_w
        s = np.abs(d).max() / 127
        new = new + p_k * np.clip(np.round(d / s), -127, 127) * s
    return new
