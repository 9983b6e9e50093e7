"""Keeps the reduced axis (keepdims=True) in the result."""
import numpy as np


def logsumexp(z, axis=-1):
    """log(sum(exp(z))) along `axis` (that axis removed), same dtype, stable for large |z|."""
    m = np.max(z, axis=axis, keepdims=True)
    total = np.sum(np.exp(z - m), axis=axis, keepdims=True)
    return m + np.log(total)
