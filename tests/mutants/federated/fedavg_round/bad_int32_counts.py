"""Casts the counts to int32: 3·10¹² wraps around."""
import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    n = num_samples.astype(np.int32)
    p = n / n.sum()
    return (global_w + server_lr * np.tensordot(p, client_w - global_w, axes=1)).astype(
        global_w.dtype)
