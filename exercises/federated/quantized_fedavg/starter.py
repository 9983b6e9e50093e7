"""federated/quantized_fedavg — FedAvg of symmetric-int8-compressed client changes."""

import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    """w + Σ_k (n_k/Σn)·q_k·s_k, q_k the int8 codes of w_k − w with scale s_k = max|·|/127."""
    # TODO: per client, quantise the change to int8 with its own scale; then FedAvg the
    # reconstructed changes.
    raise NotImplementedError("quantized_fedavg is not written yet")
