"""The max without keepdims, broadcast back with np.expand_dims."""
import numpy as np


def logsumexp(z, axis=-1):
    m = np.max(z, axis=axis)
    return m + np.log(np.sum(np.exp(z - np.expand_dims(m, axis)), axis=axis))
