"""Right values, but float32 weights come back as float64."""
import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    p = np.asarray(num_samples, np.float64) / np.sum(num_samples)
    return global_w + server_lr * np.tensordot(p, client_w - global_w, axes=1)
