"""losses/logsumexp — implement logsumexp(z, axis=-1) with NumPy."""

import numpy as np


def logsumexp(z, axis=-1):
    """log(sum(exp(z))) along `axis` (that axis removed), same dtype, stable for large |z|."""
    # TODO: factor the largest value out of the sum so that exp() never overflows
    #       (and the sum never underflows to 0), then add it back outside the log.
    # BEGIN SOLUTION
    m = np.max(z, axis=axis, keepdims=True)
    total = np.sum(np.exp(z - m), axis=axis, keepdims=True)
    return np.squeeze(m + np.log(total), axis=axis)
    # END SOLUTION
