"""federated/fedavg_round — the server's side of one FedAvg round."""

import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    """w + server_lr · Σ_k p_k (w_k − w) with p_k = n_k / Σ n; shape and dtype of global_w."""
    # TODO: each client's share of the data, then the weighted average of the changes.
    # BEGIN SOLUTION
    shares = np.asarray(num_samples, dtype=np.float64)
    shares = shares / shares.sum()
    delta = np.tensordot(shares, client_w - global_w, axes=1)
    return (global_w + server_lr * delta).astype(global_w.dtype)
    # END SOLUTION
