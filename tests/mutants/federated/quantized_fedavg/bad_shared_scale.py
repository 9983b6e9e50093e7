"""One scale for every client: the small updates vanish."""
import numpy as np


def quantized_fedavg(global_w, client_w, num_samples):
    p = num_samples / num_samples.sum()
    d = client_w - global_w
    s = np.abs(d).max() / 127 if np.abs(d).max() > 0 else 1.0
    return global_w + np.tensordot(p, np.clip(np.round(d / s), -127, 127) * s, axes=1)
