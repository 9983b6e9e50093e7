"""information/entropy — implement entropy(p, axis=-1) in nats with NumPy."""

import numpy as np


def entropy(p, axis=-1):
    """Shannon entropy −Σ p·ln p (nats) along `axis`, with 0·ln 0 = 0; `axis` is removed."""
    # TODO: sum −p·ln p along `axis`, counting zero probabilities as 0 (never nan).
    # BEGIN SOLUTION
    positive = p > 0
    safe = np.where(positive, p, 1)  # ln 1 = 0 where p = 0
    return -np.sum(np.where(positive, p * np.log(safe), 0), axis=axis)
    # END SOLUTION
