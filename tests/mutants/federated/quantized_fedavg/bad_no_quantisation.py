"""Plain FedAvg: the compression step is skipped."""
import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    p = num_samples / num_samples.sum()
    return global_w + np.tensordot(p, client_w - global_w, axes=1)
