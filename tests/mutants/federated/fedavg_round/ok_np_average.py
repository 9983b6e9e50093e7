"""np.average with the counts as weights."""
import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    avg = np.average(client_w, axis=0, weights=num_samples.astype(np.float64))
    return (global_w + server_lr * (avg - global_w)).astype(global_w.dtype)
