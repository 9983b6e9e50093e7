"""Client by client, accumulating weighted changes."""
import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    total = float(sum(int(n) for n in num_samples))
    delta = np.zeros(global_w.shape, dtype=np.float64)
    for w_k, n_k in zip(client_w, num_samples):
        delta += (int(n_k) / total) * (w_k.astype(np.float64) - global_w)
    return (global_w + server_lr * delta).astype(global_w.dtype)
