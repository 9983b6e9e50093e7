"""federated/quantized_fedavg — FedAvg of symmetric-int8-compressed client changes."""

import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    """w + Σ_k (n_k/Σn)·q_k·s_k, q_k the int8 codes of w_k − w with scale s_k = max|·|/127."""
    # TODO: per client, quantise the change to int8 with its own scale; then FedAvg the
    # reconstructed changes.
    # BEGIN SOLUTION
    shares = np.asarray(num_samples, dtype=np.float64)
    shares = shares / shares.sum()
    new = global_w.astype(np.float64).copy()
    for share, w_k in zip(shares, client_w):
        change = w_k - global_w
        top = np.max(np.abs(change))
        scale = top / 127.0 if top > 0 else 1.0
        codes = np.clip(np.round(change / scale), -127, 127).astype(np.int8)
        new += share * codes.astype(np.float64) * scale
    return new
    # END SOLUTION
