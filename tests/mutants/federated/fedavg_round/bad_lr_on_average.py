"""Scales the averaged weights by the server learning rate instead of the averaged change."""
import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    p = num_samples / num_samples.sum()
    return (server_lr * np.tensordot(p, client_w, axes=1)).astype(global_w.dtype)
