"""federated/fedavg_round — the server's side of one FedAvg round."""

import numpy as np


def fedavg_round(global_w, client_w, num_samples, server_lr=1.0):
    """w + server_lr · Σ_k p_k (w_k − w) with p_k = n_k / Σ n; shape and dtype of global_w."""
    # TODO: each client's share of the data, then the weighted average of the changes.
    raise NotImplementedError("fedavg_round is not written yet")
